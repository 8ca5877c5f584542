#!/usr/bin/env bash
# Scale-out speed on one machine: the same inputs through `scan` (one process) and through `spark scan`
# on local[1], local[2], Spark's standalone cluster (2 workers x 1 core, started from the project's
# jars) and YARN (scripts/yarn.sh: a ResourceManager and a NodeManager; 2 executors x 1 core), photos
# and video measured apart; then Spark's cost per task (the same photos as 1 and as 50
# per task). Photos: the first N of an LFW copy; video: the fixture clip looped to about 60 s
# (Debian's ffmpeg), split into 15 s segments on Spark. No gallery: the work is decoding, detection
# and embedding. Usage: bench/spark.sh [LFW_IMAGES_DIR] [N]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/jdk.sh
lfw=${1:-$root/../shared/datasets/lfw/images_deepfunneled}
n=${2:-300}
source bench/spark-inputs.sh
work=$(mktemp -d)
trap 'LIKENESS_HOME=$work/cluster ./likeness spark cluster stop >/dev/null 2>&1 || true; bash scripts/yarn.sh stop "$work/yarn" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
spark_inputs "$work" "$lfw" "$n"
mkdir -p "$work/few"
head -n 100 "$work/all.txt" | while read -r f; do cp "$f" "$work/few/"; done
machine_line
echo "inputs: $(ls "$work/photos" | wc -l) LFW photos (250x250); one video of ${seconds} s (640x360, H.264), 5 sampled frames/s"
printf '%-26s %-7s %9s %9s %12s\n' run input wall_s job_s rate
measure() { # label input command...: wall time of the whole command (JVM and Spark start included) and the job's own seconds
  local label=$1 input=$2; shift 2
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/last.json"
  end=$(date +%s.%N)
  python3 - "$label" "$input" "$start" "$end" "$work/last.json" "$n" "$seconds" <<'PY'
import json, sys
label, inp, start, end, path, n, secs = sys.argv[1:]
wall = float(end) - float(start)
try:
    job = json.load(open(path)).get("seconds")
except Exception:
    job = None
rate = f"{int(n) / wall:.2f} img/s" if inp == "photos" else f"{float(secs) / wall:.2f}x real time"
print(f"{label:<26} {inp:<7} {wall:9.1f} {('-' if job is None else f'{job:.1f}'):>9} {rate:>12}")
PY
}
for input in photos video; do
  measure "scan (one process)" "$input" env LIKENESS_HOME="$work/h-scan-$input" ./likeness scan "$work/$input" --fps 5 --json
  for m in 'local[1]' 'local[2]'; do
    measure "spark scan $m" "$input" ./likeness spark scan "$work/$input" --out "$work/o-$m-$input" --master "$m" --fps 5 \
      --segment-seconds 15 --no-import --json
  done
done
master=$(LIKENESS_HOME="$work/cluster" ./likeness spark cluster start --workers 2 --cores 1 --memory 3g | tail -n1)
for input in photos video; do
  measure "spark scan 2 workers" "$input" ./likeness spark scan "$work/$input" --out "$work/o-cluster-$input" --master "$master" \
    --fps 5 --segment-seconds 15 --no-import --json
done
LIKENESS_HOME="$work/cluster" ./likeness spark cluster stop >/dev/null
yarn_conf=$(bash scripts/yarn.sh start "$work/yarn" | tail -n1)
for input in photos video; do
  measure "spark scan YARN 2x1" "$input" env HADOOP_CONF_DIR="$yarn_conf" ./likeness spark scan "$work/$input" --out "$work/o-yarn-$input" \
    --master yarn --conf spark.executor.instances=2 --conf spark.executor.cores=1 --conf spark.executor.memory=2g \
    --fps 5 --segment-seconds 15 --no-import --json
done
bash scripts/yarn.sh stop "$work/yarn" >/dev/null
n=100
for per in 50 1; do
  measure "local[1], $per photos/task" photos ./likeness spark scan "$work/few" --out "$work/o-few-$per" --master 'local[1]' \
    --photos-per-task "$per" --no-import --json
done

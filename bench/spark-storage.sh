#!/usr/bin/env bash
# Where the media live: the same `spark scan` (local[2], no gallery) on the same inputs read from a
# local folder, from a real HDFS (scripts/hdfs.sh: a NameNode and a DataNode, JVMs of their own) and
# from a real S3 service (scripts/s3.sh: S3Proxy over a file-system blob store, through Hadoop's S3A
# client), all on loopback on this machine; the output goes to a local folder each time, so the
# figures compare reading media (listing, probing, copying each file to the executor) and nothing
# else. Photos: the first N of an LFW copy; video: the fixture clip looped to about 60 s, in 15 s
# segments (each segment's task copies the file once per executor). Two runs each, in turn.
# Usage: bench/spark-storage.sh [LFW_IMAGES_DIR] [N]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/jdk.sh
lfw=${1:-$root/../shared/datasets/lfw/images_deepfunneled}
n=${2:-300}
source bench/spark-inputs.sh
work=$(mktemp -d)
trap 'bash scripts/hdfs.sh stop "$work/hdfs" >/dev/null 2>&1 || true; bash scripts/s3.sh stop "$work/s3" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
spark_inputs "$work/media" "$lfw" "$n"
./likeness --version >/dev/null 2>&1 || true # the launcher (and its lib/) built
hdfs=$(bash scripts/hdfs.sh start "$work/hdfs" | tail -n1)
bash scripts/hdfs.sh put "$work/hdfs" "$work/media/photos" "$work/media/video" "$hdfs/"
read -r -a s3conf < <(bash scripts/s3.sh start "$work/s3" media | tail -n1)
bash scripts/s3.sh put "$work/s3" "$work/media/photos" "$work/media/video" s3a://media
machine_line
echo "inputs: $n LFW photos (250x250, $(du -sh "$work/media/photos" | cut -f1)); one video of ${seconds} s (640x360, H.264, $(du -h "$work/media/video/hamilton-60s.mp4" | cut -f1)), 5 sampled frames/s"
printf '%-8s %-7s %-4s %9s %9s %14s\n' store input run wall_s job_s rate
i=0
for run in 1 2; do
  for input in photos video; do
    for store in local hdfs s3; do
      case $store in
        local) src=$work/media/$input; extra=() ;;
        hdfs) src=$hdfs/$input; extra=() ;;
        s3) src=s3a://media/$input; extra=("${s3conf[@]}") ;;
      esac
      i=$((i + 1))
      start=$(date +%s.%N)
      LIKENESS_HOME=$work/home ./likeness spark scan "$src" --out "$work/out-$i" --master 'local[2]' --fps 5 --segment-seconds 15 \
        --no-import --json "${extra[@]}" > "$work/last.json"
      end=$(date +%s.%N)
      python3 - "$store" "$input" "$run" "$start" "$end" "$work/last.json" "$n" "$seconds" <<'PY'
import json, sys
store, inp, run, start, end, path, n, secs = sys.argv[1:]
wall = float(end) - float(start)
s = json.load(open(path))
assert s["failed"] == 0, s
rate = f"{int(n) / wall:.2f} img/s" if inp == "photos" else f"{float(secs) / wall:.2f}x real time"
print(f"{store:<8} {inp:<7} {run:<4} {wall:9.1f} {s['seconds']:9.1f} {rate:>14}")
PY
    done
  done
done

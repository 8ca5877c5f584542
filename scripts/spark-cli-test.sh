#!/usr/bin/env bash
# The Spark commands through the launcher, as a user runs them: a standalone cluster of one worker
# started from the project's jars, a job on it identifying against a gallery (the pack shipped with the job), its import, a second
# import storing nothing, and the cluster stopped with nothing left running; then a job on media in a
# real HDFS (scripts/hdfs.sh: a NameNode and a DataNode of their own) written back there and
# imported from there; and a job on a real YARN (scripts/yarn.sh) through --master yarn, its
# executors in NodeManager containers. Run by scripts/test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${LIKENESS_DATASET:-$root/fixtures/face_recognition}/examples
home=$(mktemp -d); work=$(mktemp -d)
export LIKENESS_HOME="$home"
trap '"$root/likeness" spark cluster stop >/dev/null 2>&1 || true; bash "$root/scripts/hdfs.sh" stop "$work/hdfs" >/dev/null 2>&1 || true; bash "$root/scripts/yarn.sh" stop "$work/yarn" >/dev/null 2>&1 || true; rm -rf "$home" "$work"' EXIT
fail() { echo "spark-cli-test: $*" >&2; exit 1; }
"$root/likeness" gallery create watch >/dev/null
"$root/likeness" enroll --gallery watch --subject "Barack Obama" "$data/obama.jpg" >/dev/null 2>&1
mkdir "$work/in"
cp "$data/obama2.jpg" "$data/biden.jpg" "$work/in/"
master=$("$root/likeness" spark cluster start --workers 1 --memory 2g | tail -n1)
[[ "$master" == spark://127.0.0.1:* ]] || fail "cluster start printed '$master' last, not a master URL"
out=$("$root/likeness" spark scan "$work/in" --out "$work/out" --gallery watch --master "$master" --ship-models --json) # the pack reaches the executors as an archive
python3 - "$out" <<'PY' || fail "spark scan answered $out"
import json, sys
s = json.loads(sys.argv[1])
assert s["media"] == 2 and s["failed"] == 0 and s["master"].startswith("spark://"), s
assert s["imported"]["stored"] == 2, s
assert set(s) >= {"media", "sightings", "failed", "output", "seconds", "master"}, s
PY
"$root/likeness" scans list --subject "Barack Obama" | grep -q obama2.jpg || fail "the imported scan does not name Obama"
again=$("$root/likeness" scans import "$work/out" --gallery watch --json)
[[ "$again" == *'"stored":0'* ]] || fail "a second import stored something: $again"
pids=$(python3 -c 'import json,sys; print(" ".join(map(str, json.load(open(sys.argv[1]))["pids"])))' "$home/spark-cluster/cluster.json")
"$root/likeness" spark cluster stop | grep -q stopped || fail "cluster stop did not say stopped"
for p in $pids; do ! kill -0 "$p" 2>/dev/null || fail "process $p of the cluster still runs"; done
echo "spark-cli-test: cluster started, job run and imported once, cluster stopped" >&2

hdfs=$(bash "$root/scripts/hdfs.sh" start "$work/hdfs" | tail -n1)
[[ "$hdfs" == hdfs://127.0.0.1:* ]] || fail "hdfs.sh start printed '$hdfs' last, not an hdfs:// URI"
mkdir "$work/hdfs-in" && cp "$work/in/"* "$data/two_people.jpg" "$work/hdfs-in/" # two scanned before, one new
bash "$root/scripts/hdfs.sh" put "$work/hdfs" "$work/hdfs-in" "$hdfs/in" 2>/dev/null
scans_before=$("$root/likeness" scans list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["scans"]))')
out=$("$root/likeness" spark scan "$hdfs/in" --out "$hdfs/jobs/j1" --gallery watch --master 'local[1]' --no-import --json)
[[ "$out" == *'"media":3,'*'"failed":0,'* ]] || fail "spark scan on HDFS answered $out"
[[ "$out" != *'"imported"'* ]] || fail "spark scan --no-import imported: $out"
scans_after=$("$root/likeness" scans list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["scans"]))')
[ "$scans_after" = "$scans_before" ] || fail "spark scan --no-import stored scans ($scans_before before, $scans_after after)"
imported=$("$root/likeness" scans import "$hdfs/jobs/j1" --gallery watch --json)
[[ "$imported" == *'"stored":1'*'"skipped":2'* ]] || fail "importing from HDFS (two media scanned before, one new) answered $imported"
daemons=$(cat "$work/hdfs/namenode.pid" "$work/hdfs/datanode.pid")
bash "$root/scripts/hdfs.sh" stop "$work/hdfs" >/dev/null
for p in $daemons; do ! kill -0 "$p" 2>/dev/null || fail "hdfs.sh stop left process $p running"; done
echo "spark-cli-test: a job on a real HDFS read and wrote there and imported from there" >&2

conf=$(bash "$root/scripts/yarn.sh" start "$work/yarn" | tail -n1)
out=$(HADOOP_CONF_DIR="$conf" "$root/likeness" spark scan "$work/in" --out "$work/out-yarn" --gallery watch --master yarn \
  --conf spark.executor.instances=2 --conf spark.executor.memory=2g --json)
[[ "$out" == *'"media":2,'*'"failed":0,'*'"master":"yarn"'*'"stored":0'* ]] || fail "spark scan --master yarn answered $out"
containers=$(ls -d "$work"/yarn/nm-logs/application_*/container_* 2>/dev/null | wc -l)
[ "$containers" -ge 2 ] || fail "YARN ran $containers containers for the job, not an ApplicationMaster and executors"
bash "$root/scripts/yarn.sh" stop "$work/yarn" >/dev/null
echo "spark-cli-test: a job on a real YARN through --master yarn, its executors in $((containers - 1)) NodeManager containers" >&2

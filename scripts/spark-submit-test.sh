#!/usr/bin/env bash
# The job jar through Spark's own spark-submit path on a Spark standalone cluster that runs from
# Spark's jars alone (no project jar on any class path but the job jar): a folder laid out as a
# Spark distribution (its jars/: spark-sql_2.13 and what it depends on, from Maven), a Master and
# two Workers started from it as sbin/start-master.sh and start-worker.sh start them, and
# spark-submit done as bin/spark-submit does it (org.apache.spark.launcher.Main builds the command,
# which is then run). The job runs in client mode and in cluster mode (the driver on a Worker); each
# output is imported and names Obama in the photo of him. Then the same on YARN (scripts/yarn.sh: a
# ResourceManager and a NodeManager of Hadoop's own, containers from the distribution's jars), in
# client mode and in cluster mode (the driver in the ApplicationMaster's container). Run by
# scripts/test.sh (issue 22).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/jdk.sh
data=${LIKENESS_DATASET:-$root/fixtures/face_recognition}/examples
work=$(mktemp -d /tmp/likeness-submit.XXXXXX)
pids=()
cleanup() {
  bash "$root/scripts/yarn.sh" stop "$work/yarn" >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT
# A log's first errors: the cause is rarely in its last lines.
first_errors() { grep -m 8 -E 'Exception|ERROR|[Dd]iagnostics|exitCode|final status' "$1" >&2 || true; }
# On failure, each log's first errors and its end.
fail() {
  echo "spark-submit-test: $*" >&2
  for f in "$work"/*.log "$work"/dist/work/*/*/stderr "$work"/yarn/*.log "$work"/yarn/nm-logs/*/*/stderr; do
    [ -f "$f" ] || continue
    echo "== $f" >&2
    first_errors "$f"
    echo "-- last lines:" >&2
    tail -15 "$f" >&2
  done
  exit 1
}

# The job jar (Spark, Scala and Hadoop left out) and a Spark "distribution" of the same release.
mvn -B -ntp -q -Pjob -pl likeness-spark -am package -DskipTests >/dev/null
# The distribution's jars: spark-sql_2.13 with the versions Spark itself declares (a POM of its own,
# not the project's: none of the project's dependency management reaches it; the plugin as the parent POM pins it).
spark=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' pom.xml)
mkdir -p "$work/dist"
cat > "$work/dist/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>spark-dist</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>org.apache.spark</groupId><artifactId>spark-sql_2.13</artifactId>
    <version>$spark</version></dependency><dependency><groupId>org.apache.spark</groupId>
    <artifactId>spark-yarn_2.13</artifactId><version>$spark</version></dependency></dependencies>
</project>
POM
mvn -B -ntp -q -f "$work/dist/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies -DoutputDirectory="$work/dist/jars" >/dev/null \
  || fail "cannot gather Spark $spark's jars"
rm "$work/dist/pom.xml"
job=$root/likeness-spark/target/likeness-spark-job.jar
export SPARK_HOME=$work/dist SPARK_SCALA_VERSION=2.13 JAVA_HOME
ls "$SPARK_HOME/jars" | grep -q '^likeness' && fail "the Spark distribution holds a project jar"
opts=$(grep -v '^\s*$' likeness-spark/src/main/resources/org/likeness/spark/jvm-options | tr '\n' ' ')
opts="$opts --enable-native-access=ALL-UNNAMED"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# The cluster, from Spark's jars only.
port=$(free_port)
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $opts -Xmx512m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$port" --webui-port 0 > "$work/master.log" 2>&1 &
pids+=($!)
master=spark://127.0.0.1:$port
for w in 1 2; do
  # shellcheck disable=SC2086
  SPARK_WORKER_OPTS="$opts" "$JAVA_HOME/bin/java" $opts -Xmx512m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
    "$master" --host 127.0.0.1 --cores 1 --memory 3g --webui-port 0 --work-dir "$SPARK_HOME/work" > "$work/worker$w.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 90); do [ "$(grep -c 'Registering worker' "$work/master.log" 2>/dev/null)" -ge 2 ] && break; sleep 1; done
[ "$(grep -c 'Registering worker' "$work/master.log")" -ge 2 ] || fail "the workers did not register"

# What bin/spark-submit runs: the launcher prints the command (NUL-separated, then its exit code).
# As bin/spark-class reads it: lines until an empty one (the launcher's NUL marker), then NUL-ended arguments.
submit() {
  local cmd=() arg delim=$'\n' started=false
  while IFS= read -d "$delim" -r arg; do
    if $started; then cmd+=("$arg"); elif [ -z "$arg" ]; then delim=''; started=true; else echo "$arg"; fi
  done < <("$JAVA_HOME/bin/java" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main \
    org.apache.spark.deploy.SparkSubmit "$@"; printf '%d\0' $?)
  local rc=${cmd[${#cmd[@]}-1]}; unset 'cmd[${#cmd[@]}-1]'
  [ "$rc" = 0 ] || fail "the launcher refused: $*"
  "${cmd[@]}"
}
export LIKENESS_HOME=$work/home
./likeness gallery create watch >/dev/null
./likeness enroll --gallery watch --subject "Barack Obama" "$data/obama.jpg" >/dev/null 2>&1
mkdir "$work/in"
cp "$data/obama2.jpg" "$data/biden.jpg" "$work/in/"
bash scripts/fetch-models.sh >/dev/null
pack=${LIKENESS_MODELS:-$HOME/.cache/likeness/models}/fusion-dlib-mobilefacenet-r2
for mode in client cluster; do
  out=$work/out-$mode
  ship=(); [ "$mode" = cluster ] && ship=(--ship-models) # the driver on a Worker ships the pack to the executors as an archive
  submit --master "$master" --deploy-mode "$mode" --class org.likeness.spark.SubmitMain \
    --driver-java-options "$opts" --conf "spark.executor.extraJavaOptions=$opts" \
    --executor-memory 2g --total-executor-cores 2 --conf spark.standalone.submit.waitAppCompletion=true \
    "$job" --out "$out" --pack "$pack" ${ship[@]+"${ship[@]}"} --home "$LIKENESS_HOME" --gallery watch "$work/in" > "$work/submit-$mode.log" 2>&1 \
    || fail "spark-submit in $mode mode failed"
  [ -f "$out/_likeness.json" ] || fail "no finished output from $mode mode"
  if [ "$mode" = cluster ]; then # the driver ran on a Worker, and Spark says it finished
    grep -q 'State of driver driver-[0-9-]* is FINISHED' "$work/submit-$mode.log" || fail "the driver did not finish on a Worker"
  else
    grep -q '"media":2,' "$work/submit-$mode.log" || fail "the client-mode driver printed no summary"
  fi
  imported=$(./likeness scans import "$out" --gallery watch --json)
  python3 - "$imported" "$mode" <<'PY' || fail "$mode mode: import answered $imported"
import json, sys
r = json.loads(sys.argv[1])
assert r["failed"] == 0 and r["stored"] + r["skipped"] == 2, r
assert (r["stored"] == 2) == (sys.argv[2] == "client"), r  # the cluster run's media were imported from the client run
PY
done
./likeness scans list --subject "Barack Obama" | grep -q obama2.jpg || fail "the imported scan does not name Obama"
echo "spark-submit-test: the job jar ran through spark-submit on a standalone cluster from Spark's jars alone, in client and cluster mode; both outputs import"

# On YARN: containers are launched by the NodeManager with the distribution's jars (spark.yarn.jars
# as local: paths, as on a cluster whose nodes have Spark installed) and the job jar shipped.
export HADOOP_CONF_DIR
HADOOP_CONF_DIR=$(bash scripts/yarn.sh start "$work/yarn" | tail -n1)
[ -f "$HADOOP_CONF_DIR/yarn-site.xml" ] || fail "yarn.sh start printed '$HADOOP_CONF_DIR' last, not a configuration folder"
yarn_submit() { # MODE
  submit --master yarn --deploy-mode "$1" --class org.likeness.spark.SubmitMain \
    --driver-java-options "$opts" --conf "spark.yarn.am.extraJavaOptions=$opts" --conf "spark.executor.extraJavaOptions=$opts" \
    --conf "spark.yarn.jars=local:$SPARK_HOME/jars/*" --conf "spark.yarn.appMasterEnv.JAVA_HOME=$JAVA_HOME" \
    --conf "spark.executorEnv.JAVA_HOME=$JAVA_HOME" --num-executors 2 --executor-cores 1 --executor-memory 2g \
    "$job" --out "$work/out-yarn-$1" --pack "$pack" --home "$LIKENESS_HOME" --gallery watch "$work/in" > "$work/submit-yarn-$1.log" 2>&1
}
for mode in client cluster; do
  out=$work/out-yarn-$mode
  # One YARN on a 2-core machine that has just run the whole suite: an application that fails once is
  # reported with its first errors and submitted again (its output removed first); a second failure fails.
  if ! yarn_submit "$mode"; then
    echo "spark-submit-test: YARN $mode mode failed once; its first errors:" >&2
    first_errors "$work/submit-yarn-$mode.log"
    mv "$work/submit-yarn-$mode.log" "$work/submit-yarn-$mode-first.log"
    rm -rf "$out"
    yarn_submit "$mode" || fail "spark-submit on YARN in $mode mode failed twice"
  fi
  [ -f "$out/_likeness.json" ] || fail "no finished output from YARN in $mode mode"
  imported=$(./likeness scans import "$out" --gallery watch --json)
  [[ "$imported" == *'"stored":0'*'"skipped":2'* ]] || fail "YARN $mode mode: import answered $imported (the media were imported before)"
done
apps=$(ls -d "$work"/yarn/nm-logs/application_* | wc -l)
executors=$(grep -l 'YarnCoarseGrainedExecutorBackend\|Executor: Running task' "$work"/yarn/nm-logs/*/*/stderr | wc -l)
[ "$apps" -ge 2 ] && [ "$executors" -ge 2 ] || fail "YARN ran $apps applications with $executors executor containers, not 2 with executors"
grep -q '"media":2,' "$work/submit-yarn-client.log" || fail "the YARN client-mode driver printed no summary"
grep -q 'final status: SUCCEEDED' "$work/submit-yarn-cluster.log" || fail "YARN does not report the cluster-mode application SUCCEEDED"
echo "spark-submit-test: and on YARN (ResourceManager + NodeManager), in client and cluster mode; both outputs import"

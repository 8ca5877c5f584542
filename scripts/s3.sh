#!/usr/bin/env bash
# A real S3 service on this machine, for benchmarks and trials of `spark scan s3a://...` (issue 22):
# S3Proxy (the S3 API with signed requests, over a jclouds file-system blob store), run from its jars
# with Maven Central as their source.
#   scripts/s3.sh start DIR BUCKET   starts it on a free loopback port with its objects under DIR/blobs and
#                                    BUCKET created, and prints, last, the --conf settings that reach it
#                                    (one line: --conf spark.hadoop.fs.s3a.endpoint=... --conf ...; also in DIR/conf)
#   scripts/s3.sh put DIR FILE... TARGET   copies local files or folders under s3a://BUCKET/PREFIX through
#                                    Hadoop's S3A client (scripts/S3Put.java), one object per file
#   scripts/s3.sh stop DIR           stops it
# Credentials of this trial only, plain HTTP on loopback: a single-host trial, not a deployment.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmd=${1:-}
dir=${2:-}
usage() { echo "usage: scripts/s3.sh start DIR BUCKET | put DIR FILE... TARGET | stop DIR" >&2; exit 2; }
[ -n "$cmd" ] && [ -n "$dir" ] || usage
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
source "$root/scripts/jdk.sh" >/dev/null
source "$root/scripts/daemons.sh"
case "$cmd" in
  start)
    bucket=${3:-}
    [ -n "$bucket" ] || usage
    cp=$(daemon_classpath s3proxy "<dependency><groupId>org.gaul</groupId><artifactId>s3proxy</artifactId><version>$(pom_property s3proxy.version)</version></dependency>")
    port=$(daemon_free_port)
    secret=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    mkdir -p "$dir/blobs/$bucket" # a bucket of the file-system blob store is a folder
    cat > "$dir/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=likeness
s3proxy.credential=$secret
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.identity=local
jclouds.credential=local
jclouds.filesystem.basedir=$dir/blobs
PROPS
    cat > "$dir/logback.xml" <<'XML'
<configuration><appender name="out" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%d %level %logger - %msg%n</pattern></encoder></appender>
<root level="WARN"><appender-ref ref="out"/></root></configuration>
XML
    "$JAVA_HOME/bin/java" -Xmx512m -Dlogback.configurationFile="$dir/logback.xml" -cp "$cp" \
      org.gaul.s3proxy.Main --properties "$dir/s3proxy.properties" >"$dir/s3proxy.log" 2>&1 &
    echo $! > "$dir/s3proxy.pid"
    for _ in $(seq 1 60); do
      if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
        conf="--conf spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:$port --conf spark.hadoop.fs.s3a.endpoint.region=us-east-1"
        conf="$conf --conf spark.hadoop.fs.s3a.path.style.access=true --conf spark.hadoop.fs.s3a.connection.ssl.enabled=false"
        conf="$conf --conf spark.hadoop.fs.s3a.access.key=likeness --conf spark.hadoop.fs.s3a.secret.key=$secret"
        echo "$conf" > "$dir/conf"
        echo "$conf"
        exit 0
      fi
      kill -0 "$(cat "$dir/s3proxy.pid")" 2>/dev/null || break
      sleep 1
    done
    echo "s3: S3Proxy did not start; see $dir/s3proxy.log" >&2
    exit 1
    ;;
  put)
    shift 2
    [ $# -ge 2 ] && [ -f "$dir/conf" ] || usage
    # The S3A client the launcher carries (hadoop-aws, the SDK's S3 modules, Spark's commons libraries).
    lib=$root/likeness-cli/target/lib
    [ -d "$lib" ] || { echo "s3: build the launcher first (./likeness builds it on its first run)" >&2; exit 1; }
    cp="$lib/*"
    # the --conf spark.hadoop.KEY=VALUE settings of start, as -D KEY=VALUE
    read -r -a defs < <(sed -e 's/--conf spark\.hadoop\./-D /g' "$dir/conf")
    "$JAVA_HOME/bin/java" -Xmx512m --enable-native-access=ALL-UNNAMED -cp "$cp" "$root/scripts/S3Put.java" "${defs[@]}" "$@" \
      2> >(grep -v -e '^WARNING' -e '^SLF4J' >&2)
    ;;
  stop)
    daemon_stop s3proxy
    echo "s3: stopped"
    ;;
  *) usage ;;
esac

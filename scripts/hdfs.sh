#!/usr/bin/env bash
# A real HDFS on this machine, for benchmarks and trials of `spark scan hdfs://...` (issue 22): a
# NameNode and a DataNode, each a JVM of its own (scripts/daemons.sh).
#   scripts/hdfs.sh start DIR   formats DIR/name once, starts both daemons on free loopback ports with
#                               their blocks and logs in DIR, waits for the DataNode, and prints the
#                               file system's URI (hdfs://127.0.0.1:PORT) as its last line (also in DIR/uri)
#   scripts/hdfs.sh put DIR FILE... TARGET   copies local files into it (Hadoop's FsShell -put)
#   scripts/hdfs.sh stop DIR    stops both daemons
# One replica, no permissions, loopback only: a single-host trial, not a deployment.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmd=${1:-}
dir=${2:-}
usage() { echo "usage: scripts/hdfs.sh start|stop DIR | put DIR FILE... TARGET" >&2; exit 2; }
[ -n "$cmd" ] && [ -n "$dir" ] || usage
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
source "$root/scripts/jdk.sh" >/dev/null
source "$root/scripts/daemons.sh"
hjava() { "$JAVA_HOME/bin/java" -Xmx512m --enable-native-access=ALL-UNNAMED -cp "$(hadoop_classpath)" "$@"; }
case "$cmd" in
  start)
    port=$(daemon_free_port)
    mkdir -p "$dir/conf"
    cat > "$dir/conf/core-site.xml" <<XML
<configuration>
  <property><name>fs.defaultFS</name><value>hdfs://127.0.0.1:$port</value></property>
  <property><name>hadoop.tmp.dir</name><value>$dir/tmp</value></property>
</configuration>
XML
    cat > "$dir/conf/hdfs-site.xml" <<XML
<configuration>
  <property><name>dfs.namenode.name.dir</name><value>$dir/name</value></property>
  <property><name>dfs.datanode.data.dir</name><value>$dir/data</value></property>
  <property><name>dfs.replication</name><value>1</value></property>
  <property><name>dfs.permissions.enabled</name><value>false</value></property>
  <property><name>dfs.namenode.http-address</name><value>127.0.0.1:0</value></property>
  <property><name>dfs.datanode.address</name><value>127.0.0.1:0</value></property>
  <property><name>dfs.datanode.http.address</name><value>127.0.0.1:0</value></property>
  <property><name>dfs.datanode.ipc.address</name><value>127.0.0.1:0</value></property>
</configuration>
XML
    if [ ! -d "$dir/name/current" ]; then
      hjava org.apache.hadoop.hdfs.server.namenode.NameNode -format -nonInteractive >"$dir/format.log" 2>&1 \
        || { echo "hdfs: formatting failed; see $dir/format.log" >&2; exit 1; }
    fi
    hadoop_start namenode org.apache.hadoop.hdfs.server.namenode.NameNode
    hadoop_start datanode org.apache.hadoop.hdfs.server.datanode.DataNode
    uri=hdfs://127.0.0.1:$port
    # Up when a DataNode has registered: the report counts it live.
    for _ in $(seq 1 60); do
      if hjava org.apache.hadoop.hdfs.tools.DFSAdmin -report 2>/dev/null | grep -q 'Live datanodes (1)'; then
        echo "$uri" > "$dir/uri"
        echo "$uri"
        exit 0
      fi
      sleep 1
    done
    echo "hdfs: no live DataNode after 60 s; see $dir/namenode.log and $dir/datanode.log" >&2
    exit 1
    ;;
  put)
    shift 2
    [ $# -ge 2 ] || usage
    hjava org.apache.hadoop.fs.FsShell -put "$@" 2> >(grep -v '^WARNING' >&2)
    ;;
  stop)
    daemon_stop datanode namenode
    echo "hdfs: stopped"
    ;;
  *) usage ;;
esac

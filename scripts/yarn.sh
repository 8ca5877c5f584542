#!/usr/bin/env bash
# A real YARN on this machine, for trials of Spark on YARN (issue 22): a ResourceManager and a
# NodeManager, each a JVM of its own (scripts/daemons.sh), FIFO scheduling, containers launched
# by the NodeManager as processes of their own (its default executor).
#   scripts/yarn.sh start DIR [MEMORY_MB] [VCORES]   starts both on free loopback ports with their logs and
#                               containers' work in DIR, waits until the NodeManager has registered, and
#                               prints the configuration folder to give Spark as HADOOP_CONF_DIR last
#                               (default: 8192 MB and 2 vcores for containers)
#   scripts/yarn.sh stop DIR    stops both (and with the NodeManager its containers)
# No security, loopback only, the local file system as the default one: a single-host trial.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmd=${1:-}
dir=${2:-}
usage() { echo "usage: scripts/yarn.sh start DIR [MEMORY_MB] [VCORES] | stop DIR" >&2; exit 2; }
[ -n "$cmd" ] && [ -n "$dir" ] || usage
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
source "$root/scripts/jdk.sh" >/dev/null
source "$root/scripts/daemons.sh"
# The ResourceManager also needs Bouncy Castle (its certificate code, at Hadoop 3.5.0's pin) and a
# log4j 1 API (reload4j, as Hadoop ships), which the client's jars leave out.
deps=(
  "<dependency><groupId>org.bouncycastle</groupId><artifactId>bcprov-jdk18on</artifactId><version>1.82</version></dependency>"
  "<dependency><groupId>org.bouncycastle</groupId><artifactId>bcpkix-jdk18on</artifactId><version>1.82</version></dependency>"
  "<dependency><groupId>ch.qos.reload4j</groupId><artifactId>reload4j</artifactId><version>1.2.22</version></dependency>"
  "<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>"
)
case "$cmd" in
  start)
    memory=${3:-8192}
    vcores=${4:-2}
    hadoop_classpath "${deps[@]}" >/dev/null
    mkdir -p "$dir/conf"
    p() { daemon_free_port; }
    cat > "$dir/conf/core-site.xml" <<XML
<configuration><property><name>fs.defaultFS</name><value>file:///</value></property></configuration>
XML
    cat > "$dir/conf/yarn-site.xml" <<XML
<configuration>
  <property><name>yarn.resourcemanager.hostname</name><value>127.0.0.1</value></property>
  <property><name>yarn.resourcemanager.address</name><value>127.0.0.1:$(p)</value></property>
  <property><name>yarn.resourcemanager.scheduler.address</name><value>127.0.0.1:$(p)</value></property>
  <property><name>yarn.resourcemanager.resource-tracker.address</name><value>127.0.0.1:$(p)</value></property>
  <property><name>yarn.resourcemanager.admin.address</name><value>127.0.0.1:$(p)</value></property>
  <property><name>yarn.resourcemanager.webapp.address</name><value>127.0.0.1:$(p)</value></property>
  <property><name>yarn.resourcemanager.scheduler.class</name><value>org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler</value></property>
  <property><name>yarn.scheduler.maximum-allocation-mb</name><value>$memory</value></property>
  <property><name>yarn.nodemanager.hostname</name><value>127.0.0.1</value></property>
  <property><name>yarn.nodemanager.address</name><value>127.0.0.1:$(p)</value></property>
  <property><name>yarn.nodemanager.localizer.address</name><value>127.0.0.1:$(p)</value></property>
  <property><name>yarn.nodemanager.webapp.address</name><value>127.0.0.1:$(p)</value></property>
  <property><name>yarn.nodemanager.resource.memory-mb</name><value>$memory</value></property>
  <property><name>yarn.nodemanager.resource.cpu-vcores</name><value>$vcores</value></property>
  <property><name>yarn.nodemanager.vmem-check-enabled</name><value>false</value></property>
  <property><name>yarn.nodemanager.local-dirs</name><value>$dir/nm-local</value></property>
  <property><name>yarn.nodemanager.log-dirs</name><value>$dir/nm-logs</value></property>
  <property><name>yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage</name><value>99.5</value></property>
</configuration>
XML
    cat > "$dir/conf/log4j.properties" <<'PROPS'
log4j.rootLogger=WARN, out
log4j.appender.out=org.apache.log4j.ConsoleAppender
log4j.appender.out.layout=org.apache.log4j.PatternLayout
log4j.appender.out.layout.ConversionPattern=%d %p %c{1} - %m%n
PROPS
    hadoop_start resourcemanager org.apache.hadoop.yarn.server.resourcemanager.ResourceManager
    hadoop_start nodemanager org.apache.hadoop.yarn.server.nodemanager.NodeManager
    for _ in $(seq 1 90); do
      if "$JAVA_HOME/bin/java" -Xmx256m -cp "$(hadoop_classpath)" org.apache.hadoop.yarn.client.cli.NodeCLI -list 2>/dev/null \
          | grep -q 'Total Nodes:1'; then
        echo "$dir/conf"
        exit 0
      fi
      for d in resourcemanager nodemanager; do
        kill -0 "$(cat "$dir/$d.pid")" 2>/dev/null || { echo "yarn: the $d exited; see $dir/$d.log" >&2; daemon_stop resourcemanager nodemanager; exit 1; }
      done
      sleep 1
    done
    echo "yarn: no NodeManager registered after 90 s; see $dir/*.log" >&2
    exit 1
    ;;
  stop)
    daemon_stop nodemanager resourcemanager
    echo "yarn: stopped"
    ;;
  *) usage ;;
esac

# Sourced by scripts/hdfs.sh, yarn.sh and s3.sh: servers for trials run as JVMs of their own, each
# with its pid and log in DIR. Hadoop's daemons run from the Hadoop client's jars
# (hadoop-client-minicluster carries HDFS's and YARN's servers) at Spark's Hadoop version, resolved
# from Maven Central into DIR once.
# Needs: $root (the repository) and $dir (the daemons' folder, absolute).
hadoop_version() { sed -n 's:.*<hadoop.version>\(.*\)</hadoop.version>.*:\1:p' "$root/pom.xml"; }
# hadoop_classpath [DEPENDENCY_XML...]: DIR/conf, then the client's jars and any extra dependencies.
hadoop_classpath() {
  if [ ! -s "$dir/classpath" ]; then
    local v extra
    v=$(hadoop_version)
    extra=$(printf '%s\n' "$@")
    mkdir -p "$dir/m2"
    cat > "$dir/m2/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>hadoop-daemons</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client-minicluster</artifactId><version>$v</version></dependency>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client-runtime</artifactId><version>$v</version></dependency>
    $extra
  </dependencies>
</project>
POM
    mvn -B -ntp -q -f "$dir/m2/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
      -Dmdep.outputFile="$dir/classpath" -Dmdep.includeScope=runtime >/dev/null \
      || { echo "hadoop: cannot resolve Hadoop $v's jars" >&2; exit 1; }
  fi
  echo "$dir/conf:$(cat "$dir/classpath")"
}
daemon_free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# hadoop_start NAME CLASS: the daemon in the background, java itself (its pid kept, not a subshell's)
hadoop_start() {
  "$JAVA_HOME/bin/java" -Xmx512m --enable-native-access=ALL-UNNAMED -cp "$(hadoop_classpath)" "$2" >"$dir/$1.log" 2>&1 &
  echo $! > "$dir/$1.pid"
}
# daemon_stop NAME...: each daemon stopped (SIGTERM, then SIGKILL after 15 s)
daemon_stop() {
  local d pid
  for d in "$@"; do
    if [ -f "$dir/$d.pid" ]; then
      pid=$(cat "$dir/$d.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$d.pid"
    fi
  done
}

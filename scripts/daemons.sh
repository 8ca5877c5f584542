# Sourced by scripts/hdfs.sh, yarn.sh and s3.sh: servers for trials run as JVMs of their own, each
# with its pid and log in DIR. Hadoop's daemons run from the Hadoop client's jars
# (hadoop-client-minicluster carries HDFS's and YARN's servers) at Spark's Hadoop version, resolved
# from Maven Central into DIR once.
# Needs: $root (the repository) and $dir (the daemons' folder, absolute).
# pom_property NAME: a version the project's parent POM pins (hadoop.version, s3proxy.version, ...)
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml"; }
# daemon_classpath NAME DEPENDENCY_XML...: the jars of those dependencies, resolved once into DIR/NAME.classpath
daemon_classpath() {
  local name=$1
  shift
  if [ ! -s "$dir/$name.classpath" ]; then
    mkdir -p "$dir/m2-$name"
    cat > "$dir/m2-$name/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>$name</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
$(printf '    %s\n' "$@")
  </dependencies>
</project>
POM
    mvn -B -ntp -q -f "$dir/m2-$name/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
      -Dmdep.outputFile="$dir/$name.classpath" -Dmdep.includeScope=runtime >/dev/null \
      || { echo "daemons: cannot resolve the jars of $name" >&2; exit 1; }
  fi
  cat "$dir/$name.classpath"
}
# hadoop_classpath [DEPENDENCY_XML...]: DIR/conf, then the Hadoop client's jars and any extra dependencies.
hadoop_classpath() {
  local v jars
  v=$(pom_property hadoop.version)
  jars=$(daemon_classpath hadoop \
    "<dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client-minicluster</artifactId><version>$v</version></dependency>" \
    "<dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-client-runtime</artifactId><version>$v</version></dependency>" \
    "$@") || exit 1
  echo "$dir/conf:$jars"
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

# Sourced by the project's scripts: exports JAVA_HOME pointing at a JDK >= 21 and puts it first on PATH.
likeness_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1; }
likeness_find_jdk() {
  local c best="" best_v=0 v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    v=$(likeness_java_major "$c"); v=${v%%.*}
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$c; best_v=$v; fi
  done
  [ -n "$best" ] || { echo "likeness: no JDK >= 21 found (set JAVA_HOME)" >&2; return 1; }
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
  export LIKENESS_JAVA_MAJOR=$best_v
  # Maven's own libraries (Guava) call sun.misc.Unsafe, which JDK 24+ reports on stderr at every
  # build; allowed here (JDK 23+ knows the flag) so that a script's output is its own.
  if [ "$best_v" -ge 23 ] && [[ "${MAVEN_OPTS:-}" != *sun-misc-unsafe-memory-access* ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
  fi
  # Debian's Maven 3.8 (jansi 2) writes a colour reset (ESC[0m) to stdout and stderr at exit even in
  # batch mode, which showed as "[0m[0m" in the README's commands' output.
  if [[ "${MAVEN_OPTS:-}" != *jansi.noreset* ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djansi.noreset=true"
  fi
}
likeness_find_jdk

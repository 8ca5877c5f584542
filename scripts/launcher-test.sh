#!/usr/bin/env bash
# The launcher execs the JVM: `./likeness serve &` then `kill $!` stops the server itself (before,
# the launcher's shell died and the JVM went on serving). Run by scripts/test.sh after the build.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
home=$(mktemp -d); log=$(mktemp)
trap 'rm -rf "$home" "$log"' EXIT
LIKENESS_HOME="$home" "$root/likeness" serve --port 0 2>"$log" &
pid=$!
for _ in $(seq 1 120); do
  grep -q "serving http" "$log" && break
  kill -0 "$pid" 2>/dev/null || { echo "launcher-test: the server did not start: $(cat "$log")" >&2; exit 1; }
  sleep 0.5
done
grep -q "serving http" "$log" || { echo "launcher-test: no 'serving' line after 60 s" >&2; exit 1; }
comm=$(ps -o comm= -p "$pid" || true)
[ "$comm" = java ] || { echo "launcher-test: PID $pid is '$comm', not the JVM" >&2; kill "$pid"; exit 1; }
kill "$pid"
for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
if kill -0 "$pid" 2>/dev/null; then
  echo "launcher-test: the server outlived kill of the PID it was started as" >&2; exit 1
fi
echo "launcher-test: kill of the started PID stopped the server" >&2

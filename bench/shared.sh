#!/usr/bin/env bash
# Shared deployment load test (issue 23), loopback only: 2 servers on one PostgreSQL, then 1 server
# on another, then 1 server on SQLite; each with a fresh gallery (knn_examples/train enrolled), an
# admin key, and `bench shared`: CLIENTS clients mixing identify, enrol, delete and video jobs for
# SECONDS, then the proofs (nothing lost, nothing resurrected, jobs finished, audit chain intact).
# Usage: bench/shared.sh [SECONDS] [CLIENTS]     (one JSON line per configuration on stdout)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${1:-60}
clients=${2:-64}
data=${LIKENESS_DATASET:-$root/fixtures/face_recognition}
work=$(mktemp -d /tmp/likeness-shared.XXXXXX)
# PostgreSQL runs as its own user: its folders are its own, outside $work
pg1=$(mktemp -d /tmp/likeness-pg.XXXXXX); pg2=$(mktemp -d /tmp/likeness-pg.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for d in "$pg1" "$pg2"; do bash scripts/postgres.sh stop "$d" >/dev/null 2>&1 || true; done
  rm -rf "$work" "$pg1" "$pg2"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores" >&2

# run LABEL DATABASE_URL SERVERS
run() {
  local label=$1 db=$2 n=$3 urls="" i port
  local media="$work/$label/media"
  mkdir -p "$media"
  LIKENESS_HOME="$work/$label/cli" LIKENESS_DATABASE_URL="$db" ./likeness gallery create watch >/dev/null 2>&1
  LIKENESS_HOME="$work/$label/cli" LIKENESS_DATABASE_URL="$db" ./likeness enroll --gallery watch "$data/examples/knn_examples/train" >/dev/null 2>&1
  local key
  key=$(LIKENESS_HOME="$work/$label/cli" LIKENESS_DATABASE_URL="$db" ./likeness keys create --role admin --name load 2>/dev/null | tail -n 1)
  for i in $(seq 1 "$n"); do
    port=$(free_port)
    LIKENESS_HOME="$work/$label/server$i" LIKENESS_DATABASE_URL="$db" LIKENESS_MEDIA_DIR="$media" \
      ./likeness serve --port "$port" > "$work/$label/serve$i.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 90); do curl -sf "http://127.0.0.1:$port/v1/health" >/dev/null && break; sleep 1; done
    urls="${urls:+$urls,}http://127.0.0.1:$port"
  done
  echo "$label: $n server(s) at $urls, $clients clients for ${seconds}s" >&2
  local out
  out=$(LIKENESS_HOME="$work/$label/cli" LIKENESS_DATABASE_URL="$db" ./likeness bench shared --url "$urls" --key "$key" \
    --gallery watch --images "$data/examples/knn_examples/train" --video "$data/examples/short_hamilton_clip.mp4" \
    --clients "$clients" --seconds "$seconds" 2>/dev/null) || true
  echo "{\"config\":\"$label\",\"result\":$out}"
  # a server's own faults (500s) name their cause in its log
  grep -h -A3 -E "ERROR|Exception" "$work/$label"/serve*.log 2>/dev/null | head -40 >&2 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}

configs=${CONFIGS:-postgres-2 postgres-1 sqlite-1}
[[ " $configs " == *" postgres-2 "* ]] && run postgres-2 "$(bash scripts/postgres.sh start "$pg2" | tail -n 1)" 2
bash scripts/postgres.sh stop "$pg2" >/dev/null
[[ " $configs " == *" postgres-1 "* ]] && run postgres-1 "$(bash scripts/postgres.sh start "$pg1" | tail -n 1)" 1
bash scripts/postgres.sh stop "$pg1" >/dev/null
[[ " $configs " == *" sqlite-1 "* ]] && run sqlite-1 "jdbc:sqlite:$work/sqlite/likeness.db" 1
true

#!/usr/bin/env bash
# Load test on loopback: a fresh LIKENESS_HOME with the knn_examples gallery, a server on a free
# local port, 64 concurrent clients identifying real photos for 60 s. Usage: bench/load.sh [SECONDS] [CLIENTS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${1:-60}
clients=${2:-64}
data=${LIKENESS_DATASET:-$root/fixtures/face_recognition}
export LIKENESS_HOME=$(mktemp -d)
trap 'kill "${server_pid:-0}" 2>/dev/null || true; rm -rf "$LIKENESS_HOME"' EXIT
./likeness gallery create watch >/dev/null 2>&1
./likeness enroll --gallery watch "$data/examples/knn_examples/train" >/dev/null 2>&1
key=$(./likeness keys create --role search --name load 2>/dev/null | tail -n 1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
./likeness serve --port "$port" > "$LIKENESS_HOME/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/v1/health" >/dev/null && break; sleep 1; done
echo "machine: $(nproc) cores; server on 127.0.0.1:$port; $clients clients for ${seconds}s" >&2
./likeness bench load --url "http://127.0.0.1:$port" --key "$key" --gallery watch --images "$data/examples/knn_examples/test" \
  --clients "$clients" --seconds "$seconds" ${LOAD_LOG:+--log "$LOAD_LOG"} 2>/dev/null

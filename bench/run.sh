#!/usr/bin/env bash
# Runs the speed protocol for Likeness and the OpenCV DNN peer, one after the other on the same
# images, and prints one JSON line per configuration. Usage: bench/run.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/jdk.sh
seconds=${1:-5}
data=${LIKENESS_DATASET:-$root/fixtures/face_recognition}
models=${LIKENESS_MODELS:-$HOME/.cache/likeness/models}/faceplugin-0.0.1
python=/usr/bin/python3   # Debian's, which has python3-opencv
if ! "$python" -c 'import cv2' 2>/dev/null; then
  echo "bench: installing Debian python3-opencv for the peer" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-opencv >/dev/null
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# Like for like on faceplugin's three ONNX files (the ratio issue 9 set).
./likeness bench --dataset "$data" --seconds "$seconds" --workers 1 --pack faceplugin-0.0.1 --json 2>/dev/null | sed 's/^/likeness workers=1: /'
./likeness bench --dataset "$data" --seconds "$seconds" --workers 2 --pack faceplugin-0.0.1 --json 2>/dev/null | sed 's/^/likeness workers=2: /'
"$python" bench/peer_opencv.py --models "$models" --dataset "$data" --seconds "$seconds" --threads 2 | sed 's/^/peer procs=1: /'
"$python" bench/peer_opencv.py --models "$models" --dataset "$data" --seconds "$seconds" --threads 2 --procs 2 | sed 's/^/peer procs=2: /'
# The default pack (dlib + MobileFaceNet fused), reported apart: Debian's OpenCV 4.6 cannot
# read MobileFaceNet's graph (opset-11 Clip with min/max inputs), so it has no peer run.
./likeness bench --dataset "$data" --seconds "$seconds" --workers 2 --json 2>/dev/null | sed 's/^/likeness default pack workers=2: /'

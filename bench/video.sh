#!/usr/bin/env bash
# Video scanning speed, Likeness and the OpenCV peer side by side on the same files: the fixture
# clip scaled to 720p and 1080p (H.264, looped to about 30 s) by Debian's ffmpeg, each at 5 sampled
# frames per second and at every frame. Usage: bench/video.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/jdk.sh
models=${LIKENESS_MODELS:-$HOME/.cache/likeness/models}/faceplugin-0.0.1
clip=${LIKENESS_DATASET:-$root/fixtures/face_recognition}/examples/short_hamilton_clip.mp4
python=/usr/bin/python3
if ! command -v ffmpeg >/dev/null || ! "$python" -c 'import cv2' 2>/dev/null; then
  echo "bench: installing Debian ffmpeg and python3-opencv" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg python3-opencv >/dev/null
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for r in 720 1080; do
  ffmpeg -loglevel error -y -stream_loop 2 -i "$clip" -vf "scale=$((r * 16 / 9)):$r" -c:v libx264 -preset veryfast -crf 20 -an "$work/hamilton-${r}p.mp4"
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
./likeness bench video --pack faceplugin-0.0.1 --video "$work/hamilton-720p.mp4" "$work/hamilton-1080p.mp4" --fps 5,0 | sed 's/^/likeness: /'
"$python" bench/peer_opencv.py --models "$models" --video "$work/hamilton-720p.mp4" "$work/hamilton-1080p.mp4" --fps 5 0 --threads 2 | sed 's/^/peer: /'

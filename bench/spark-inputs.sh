# Sourced by bench/spark.sh and bench/spark-storage.sh: the inputs both Spark benchmarks scan.
# spark_inputs DIR LFW_IMAGES_DIR N: DIR/photos holds the first N photos of the LFW copy (DIR/all.txt
# lists them all, sorted), DIR/video/hamilton-60s.mp4 the fixture clip looped to about 60 s (H.264,
# Debian's ffmpeg, installed if missing); sets `seconds` to the video's duration. Needs $root.
spark_inputs() {
  local dir=$1 lfw=$2 n=$3
  local clip=${LIKENESS_DATASET:-$root/fixtures/face_recognition}/examples/short_hamilton_clip.mp4
  if ! command -v ffmpeg >/dev/null; then
    echo "bench: installing Debian ffmpeg" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
  fi
  mkdir -p "$dir/photos" "$dir/video"
  find "$lfw" -name '*.jpg' | sort > "$dir/all.txt" # a file, not a pipe into head: pipefail would stop the script
  head -n "$n" "$dir/all.txt" | while read -r f; do cp "$f" "$dir/photos/"; done
  ffmpeg -loglevel error -y -stream_loop 5 -i "$clip" -c:v libx264 -preset veryfast -crf 20 -an "$dir/video/hamilton-60s.mp4"
  seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$dir/video/hamilton-60s.mp4")
}
# The machine, as every benchmark prints it.
machine_line() { echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(java -version 2>&1 | head -n1)"; }

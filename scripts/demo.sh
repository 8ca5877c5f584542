#!/usr/bin/env bash
# Fresh-machine entry point: installs the model pack, builds everything, and verifies two fixture photos.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/jdk.sh
bash scripts/fetch-models.sh
mvn -B -q -ntp -DskipTests package
data=${LIKENESS_DATASET:-$root/fixtures/face_recognition}
./likeness verify "$data/examples/obama.jpg" "$data/examples/obama2.jpg" --json
./likeness verify "$data/examples/obama.jpg" "$data/examples/biden.jpg" --json

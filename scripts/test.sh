#!/usr/bin/env bash
# Runs every test: installs the model pack (cached after the first run) and runs the Maven build with its tests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/jdk.sh
bash scripts/fetch-models.sh
mvn -B -ntp verify "$@"

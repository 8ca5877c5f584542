#!/usr/bin/env bash
# Runs every test: installs the model pack (cached after the first run) and runs the Maven build with its tests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/jdk.sh
bash scripts/fetch-models.sh
# The review page is tested in a real browser: Debian's Chromium driven by playwright-core from npm.
if ! command -v chromium >/dev/null 2>&1; then
  echo "test: installing Debian chromium for the review-page test" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || { echo "test: cannot install chromium (run as root with Debian's package registry reachable)" >&2; exit 1; }
fi
(cd web-tests && { [ -d node_modules/playwright-core ] || npm install --no-audit --no-fund --silent; })
mvn -B -ntp verify "$@"
# The store, service, server, page and CLI tests (tagged "database") again on a real PostgreSQL from
# Debian's packages, started here with its data in a temporary folder: the same tests on both databases.
pg=$(mktemp -d /tmp/likeness-pg.XXXXXX)
trap 'bash scripts/postgres.sh stop "$pg" >/dev/null 2>&1 || true; rm -rf "$pg"' EXIT
url=$(bash scripts/postgres.sh start "$pg" | tail -1)
mvn -B -ntp verify -Dgroups=database -Dlikeness.test.database="$url" "$@"
bash scripts/launcher-test.sh
bash scripts/spark-cli-test.sh
bash scripts/spark-submit-test.sh
bash scripts/shared-kill-test.sh

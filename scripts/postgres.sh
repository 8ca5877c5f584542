#!/usr/bin/env bash
# A PostgreSQL from Debian's packages, for the shared deployment and its tests (issue 23):
#   scripts/postgres.sh start DIR   installs the package if needed, initialises DIR/data once, starts the
#                                   server on a free loopback port with its socket and log in DIR, creates
#                                   the database "likeness" owned by role "likeness", and prints the JDBC
#                                   URL as its last line (also kept in DIR/url)
#   scripts/postgres.sh stop DIR    stops it (a fast shutdown: sessions are ended, nothing is lost)
# Trust authentication on 127.0.0.1 only: for tests and a single host. A shared deployment sets a
# password (ALTER ROLE likeness PASSWORD ...) and md5/scram in DIR/data/pg_hba.conf.
set -euo pipefail
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: scripts/postgres.sh start|stop DIR" >&2
  exit 2
fi
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
bin=$(find_bin)
if [ "$cmd" = start ] && [ -z "$bin" ]; then
  echo "postgres: installing Debian's postgresql package" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
    || { echo "postgres: cannot install postgresql (run as root with Debian's package registry reachable)" >&2; exit 1; }
  bin=$(find_bin)
fi
[ -n "$bin" ] || { echo "postgres: no PostgreSQL installed" >&2; exit 1; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# PostgreSQL refuses to run as root: as root, the server runs as the package's postgres user.
as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$dir"
      # the server runs as the postgres user: every folder above DIR must let it through
      if ! runuser -u postgres -- test -x "$dir"; then
        echo "postgres: $dir is inside a folder the postgres user cannot enter; give it a folder of its own (mktemp -d)" >&2
        exit 1
      fi
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as "$bin/initdb" -D "$dir/data" -U likeness --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on" start >/dev/null \
      || { echo "postgres: the server did not start; see $dir/postgres.log" >&2; tail -5 "$dir/postgres.log" >&2; exit 1; }
    if ! as "$bin/psql" -h 127.0.0.1 -p "$port" -U likeness -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'likeness'" | grep -q 1; then
      as "$bin/createdb" -h 127.0.0.1 -p "$port" -U likeness likeness
    fi
    url="jdbc:postgresql://127.0.0.1:$port/likeness?user=likeness"
    echo "$url" > "$dir/url"
    echo "$url"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    echo "postgres: stopped"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on a unix socket; stop it afterwards.
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
dir=$(mktemp -d /tmp/koers-pg.XXXXXX)
chmod 755 "$dir"
run=()
if [ "$(id -u)" -eq 0 ]; then  # initdb refuses to run as root
  chown postgres "$dir"
  run=(runuser -u postgres --)
fi
"${run[@]}" "$pgbin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
# Tests throw the cluster away, so they skip flushing to disk; benchmarks set
# KOERS_PG_DURABLE=1 to measure with PostgreSQL's defaults (fsync, full-page writes).
durability="-c fsync=off -c full_page_writes=off"
[ "${KOERS_PG_DURABLE:-0}" = 1 ] && durability=""
"${run[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -s \
  -o "-k $dir -c listen_addresses='' $durability -c max_connections=200" start
stop() { "${run[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w -s stop || true; rm -rf "$dir"; }
trap stop EXIT
"${run[@]}" "$pgbin/createdb" -h "$dir" -U postgres koers  # for benchmarks; tests make test_koers
export DATABASE_URL="postgres://postgres@/koers?host=$dir"
"$@"

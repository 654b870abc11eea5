#!/usr/bin/env bash
# A throwaway PostgreSQL for tests, on loopback only, in a temp dir, as an unprivileged user.
#
#   scripts/postgres.sh start        prints DIR and URL lines (URL: the superuser's, database postgres)
#   scripts/postgres.sh stop DIR     stops that server and removes DIR
#
# Debian's postgresql-15 (installed by scripts/setup.sh). The server listens on 127.0.0.1 and
# a free port, its socket in DIR, trust authentication for loopback only (nothing else can
# reach it), fsync off (test data need not survive a power cut). PostgreSQL refuses to run as
# root, so under root it runs as `nobody`.
set -euo pipefail

bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && { echo "$d"; return; }; done
  command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return; }
  echo "[postgres] ERROR: no PostgreSQL server: apt-get install postgresql-15 (scripts/setup.sh does)" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  local bin dir port
  bin=$(bin_dir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/play-postgres-XXXXXX")
  chmod 0755 "$dir"
  [ "$(id -u)" = 0 ] && chown nobody "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # A port taken between free_port and the start makes pg_ctl fail: try a few.
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >/dev/null 2>&1; then
      echo "DIR=$dir"
      echo "URL=postgres://postgres@127.0.0.1:$port/postgres"
      return
    fi
  done
  cat "$dir/server.log" >&2
  exit 1
}

stop() {
  local dir=${1:?usage: postgres.sh stop DIR}
  case "$dir" in "${TMPDIR:-/tmp}"/play-postgres-*) ;; *) echo "[postgres] ERROR: not a throwaway server: $dir" >&2; exit 1 ;; esac
  [ -d "$dir/data" ] && as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac

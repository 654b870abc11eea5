#!/usr/bin/env bash
# Idempotent set-up run before `npm start` and `npm test` (npm pre-steps). It must work on a
# fresh machine before node_modules exists, so it is plain bash plus the node binary.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VAR_DIR=${PLAYGROUND_VAR_DIR:-$ROOT/var}
mkdir -p "$VAR_DIR/log" "$VAR_DIR/bin"
want_browser=${SETUP_BROWSER:-}
[ "${npm_lifecycle_event:-}" = "pretest" ] && want_browser=1

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

apt_updated=
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get: install them by hand"
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  log "installing ${missing[*]} (Debian packages)"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >"$VAR_DIR/log/apt.log" 2>&1 \
    || { tail -20 "$VAR_DIR/log/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
}

# 1. Go toolchain
GO_BIN=${PLAYGROUND_GO:-$(command -v go || true)}
[ -z "$GO_BIN" ] && [ -x /usr/local/go/bin/go ] && GO_BIN=/usr/local/go/bin/go
[ -n "$GO_BIN" ] && [ -x "$GO_BIN" ] || die "no Go toolchain: put 'go' on PATH (https://go.dev/doc/install) or set PLAYGROUND_GO=/path/to/go/bin/go"
log "go: $("$GO_BIN" version)"

# 2. Docker Engine and gVisor (runs), bubblewrap (builds); for the tests also PostgreSQL and
# memcached (several frontends on one database and one shared result cache: the tests start
# throwaway servers of their own on loopback, scripts/postgres.sh)
packages=(docker.io runsc bubblewrap)
[ -n "$want_browser" ] && packages+=(chromium)
# What the tests put around the service: PostgreSQL and memcached for several frontends, a real
# load balancer (HAProxy) in front of them.
[ "${npm_lifecycle_event:-}" = "pretest" ] && packages+=(postgresql-15 memcached haproxy)
apt_install "${packages[@]}"
bash scripts/docker-daemon.sh

# 3. node dependencies
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 4. our own Go helpers: the in-container supervisor, the build sandbox's helper, goimports;
# and the test suite's own host build cache (its test programs are ours, not users')
bash scripts/sandbox-image.sh "$GO_BIN"
bash scripts/build-helper.sh "$GO_BIN"
[ "${npm_lifecycle_event:-}" = "pretest" ] && bash scripts/warm-gocache.sh "$GO_BIN"
if [ ! -x "$VAR_DIR/bin/goimports" ]; then
  log "building goimports (golang.org/x/tools) through the module proxy"
  GOBIN="$VAR_DIR/bin" GOFLAGS=-mod=mod "$GO_BIN" install golang.org/x/tools/cmd/goimports@v0.39.0 \
    || log "warning: goimports unavailable; /fmt with imports will answer 503"
fi

# 5. TypeScript build and database migrations
if [ -z "$(find dist -name launch.js -newer package-lock.json 2>/dev/null)" ] || \
   [ -n "$(find src migrations $( [ -d legacy-nacl ] && echo legacy-nacl ) -name '*.ts' -newer dist/src/launcher/launch.js 2>/dev/null | head -1)" ]; then
  log "building TypeScript"
  npx nest build
fi
# The database moved into var/data/ (the one directory the frontend's user may write).
if [ -z "${DATABASE_PATH:-}" ] && [ -f "$VAR_DIR/playground.sqlite" ] && [ ! -f "$VAR_DIR/data/playground.sqlite" ]; then
  mkdir -p "$VAR_DIR/data"
  for f in playground.sqlite playground.sqlite-wal playground.sqlite-shm; do
    [ -f "$VAR_DIR/$f" ] && mv "$VAR_DIR/$f" "$VAR_DIR/data/$f"
  done
  log "moved the database to $VAR_DIR/data/playground.sqlite"
fi
# The sandbox service as a container image, as a sandbox host runs it (the tests start one)
[ "${npm_lifecycle_event:-}" = "pretest" ] && bash scripts/sandbox-service-image.sh
node dist/src/frontend/db/migrate.js
if [ "$(id -u)" = 0 ]; then bash scripts/service-users.sh; else log "not root: the service runs as $(id -un), builds are limited per process only"; fi

# 6. the Go releases of PLAYGROUND_TOOLCHAINS (goprev…) from the module proxy, checksum-verified,
# into var/toolchains/; then the shared build cache of every toolchain, filled by warm-up
# builds in the build sandbox
node dist/src/frontend/toolchains/fetch-toolchains.js || die "a toolchain of PLAYGROUND_TOOLCHAINS cannot be had (above); fix the setting or the module proxy"
node dist/src/frontend/builder/warm-build-cache.js

# 7. the admin UI (admin-ui/, served under /admin): type-checked and bundled by Vite when a
# source is newer than its build (or the lockfile changed); vite came with npm ci above
ui_stamp=admin-ui/dist/index.html
if [ ! -f "$ui_stamp" ] || [ package-lock.json -nt "$ui_stamp" ] || \
   [ -n "$(find admin-ui/src admin-ui/index.html admin-ui/vite.config.mts admin-ui/tsconfig.json -newer "$ui_stamp" 2>/dev/null | head -1)" ]; then
  log "building the admin UI"
  npx tsc -p admin-ui/tsconfig.json || die "the admin UI does not type-check"
  npx vite build admin-ui --logLevel warn || die "the admin UI build failed"
fi
log "ready"

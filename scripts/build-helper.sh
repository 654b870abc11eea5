#!/usr/bin/env bash
# Builds build-sandbox/helper (our own code: the build sandbox's cache program, limits and
# module proxy forwarder) into var/bin/build-helper, statically, when its source changed.
set -euo pipefail
GO_BIN=${1:-go}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR_DIR=${PLAYGROUND_VAR_DIR:-$ROOT/var}
out="$VAR_DIR/bin/build-helper"
src="$ROOT/build-sandbox/helper"
if [ -x "$out" ] && [ -z "$(find "$src" -newer "$out" -type f | head -1)" ]; then exit 0; fi
echo "[setup] building the build sandbox helper"
mkdir -p "$VAR_DIR/bin"
(cd "$src" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod "$GO_BIN" build -trimpath -ldflags='-s -w' -o "$out.tmp" .)
chmod 0755 "$out.tmp"
mv "$out.tmp" "$out"

#!/usr/bin/env bash
# Fills the test suite's own host GOCACHE (var/gocache) once per toolchain: the specs build
# their own test programs (never a user's) with the host toolchain, test/support/go-build.ts.
# The service's builds use the shared cache in var/build-cache/, warmed in the build sandbox.
set -euo pipefail
GO_BIN=${1:-go}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR_DIR=${PLAYGROUND_VAR_DIR:-$ROOT/var}
stamp="$VAR_DIR/gocache/.warm-2-$("$GO_BIN" env GOVERSION)"
[ -f "$stamp" ] && exit 0
echo "[setup] warming the Go build cache (once per toolchain; takes a minute)"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/go.mod" <<MOD
module play

go $("$GO_BIN" env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')
MOD
cat >"$dir/prog.go" <<'GO'
package main

import (
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"math/rand"
	"os"
	"strings"
	"sync"
	"time"
	"unsafe"
)

var _ = []any{base64.StdEncoding, image.Rect, png.Encode, rand.Int, os.Exit, strings.Repeat, sync.Mutex{}, time.Now, unsafe.Sizeof(0)}

func main() { fmt.Println("warm") }
GO
cat >"$dir/prog_test.go" <<'GO'
package main

import "testing"

func TestWarm(t *testing.T) {}
GO
for arch in amd64 386; do
  # The same flags as src/frontend/builder/go-builder.ts, or the cache entries would not be reused.
  for cmd in build test; do
    extra=(-o /dev/null); [ "$cmd" = test ] && extra=(-c -o /dev/null)
    (cd "$dir" && GOOS=linux GOARCH=$arch CGO_ENABLED=0 GOCACHE="$VAR_DIR/gocache" GOMODCACHE="$VAR_DIR/gomodcache" \
      GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local HOME="$dir" "$GO_BIN" $cmd "${extra[@]}" -trimpath "-ldflags=-s -w" -tags=faketime . >/dev/null)
  done
  (cd "$dir" && GOOS=linux GOARCH=$arch CGO_ENABLED=0 GOCACHE="$VAR_DIR/gocache" GOFLAGS="-mod=mod -buildvcs=false" \
    GOTOOLCHAIN=local HOME="$dir" "$GO_BIN" vet -tags=faketime . >/dev/null)
done
touch "$stamp"

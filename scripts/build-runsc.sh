#!/usr/bin/env bash
# Optional: builds a current gVisor runsc (which has the faster systrap platform; Debian's 2022
# runsc has only ptrace and kvm) from the Go module proxy, statically (a dynamically linked
# runsc cannot re-execute itself inside its own chroot), and registers it with Docker as
# "runsc-systrap". Then run with SANDBOX_RUNTIME=runsc-systrap. Takes several minutes on 2 cores,
# so neither npm start nor npm test does it. Figures: README, "Benchmarks".
set -euo pipefail
GVISOR_VERSION=${GVISOR_VERSION:-v0.0.0-20260527191743-a81fd9dd382e}   # the "go" branch, 2026-05-27
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR_DIR=${PLAYGROUND_VAR_DIR:-$ROOT/var}
mkdir -p "$VAR_DIR/bin"
if [ ! -x "$VAR_DIR/bin/runsc" ]; then
  echo "[runsc] building gvisor.dev/gvisor/runsc@$GVISOR_VERSION (static)"
  CGO_ENABLED=0 GOFLAGS=-mod=mod GOBIN="$VAR_DIR/bin" go install "gvisor.dev/gvisor/runsc@$GVISOR_VERSION"
fi
RUNSC="$VAR_DIR/bin/runsc" node -e '
  const fs = require("fs");
  const file = "/etc/docker/daemon.json";
  const conf = JSON.parse(fs.readFileSync(file, "utf8"));
  conf.runtimes = conf.runtimes || {};
  conf.runtimes["runsc-systrap"] = { path: process.env.RUNSC, runtimeArgs: ["--platform=systrap", "--network=none"] };
  fs.writeFileSync(file, JSON.stringify(conf, null, 2) + "\n");
'
pkill -HUP -x dockerd
sleep 1
docker info --format '{{json .Runtimes}}' | grep -q runsc-systrap && echo "[runsc] registered runtime runsc-systrap: set SANDBOX_RUNTIME=runsc-systrap"

#!/usr/bin/env bash
# Registers gVisor as the Docker runtime "runsc" (keeping every other daemon setting), turns the
# bridge network and iptables off (sandboxes run with --network=none; nothing needs them), and
# starts dockerd when it is not running. Machines here have no init system, so we start it.
set -euo pipefail
PLATFORM=${SANDBOX_RUNSC_PLATFORM:-ptrace}
RUNSC=${SANDBOX_RUNSC_PATH:-$(command -v runsc || echo /usr/bin/runsc)}
CONF=/etc/docker/daemon.json
VAR_DIR=${PLAYGROUND_VAR_DIR:-$(cd "$(dirname "$0")/.." && pwd)/var}
mkdir -p /etc/docker "$VAR_DIR/log"
changed=$(CONF="$CONF" RUNSC="$RUNSC" PLATFORM="$PLATFORM" node -e '
  const fs = require("fs");
  const file = process.env.CONF;
  let conf = {};
  try { conf = JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) { if (e.code !== "ENOENT") throw e; }
  const before = JSON.stringify(conf);
  conf.runtimes = conf.runtimes || {};
  conf.runtimes.runsc = { path: process.env.RUNSC, runtimeArgs: ["--platform=" + process.env.PLATFORM, "--network=none"] };
  conf.bridge = "none";
  conf.iptables = false;
  if (JSON.stringify(conf) !== before) { fs.writeFileSync(file, JSON.stringify(conf, null, 2) + "\n"); console.log("yes"); }
')
if docker info >/dev/null 2>&1; then
  if [ "$changed" = yes ]; then
    # runtimes are reloadable; bridge/iptables changes need a restart the operator decides on.
    echo "[setup] daemon.json changed: reloading dockerd (restart it yourself if bridge/iptables changed)"
    pkill -HUP -x dockerd || true
    sleep 1
  fi
else
  echo "[setup] starting dockerd (log: $VAR_DIR/log/dockerd.log)"
  nohup dockerd >>"$VAR_DIR/log/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -20 "$VAR_DIR/log/dockerd.log" >&2; echo "[setup] ERROR: dockerd did not start" >&2; exit 1; }
fi
docker info --format '{{json .Runtimes}}' | grep -q runsc || { echo "[setup] ERROR: runtime runsc not registered with dockerd" >&2; exit 1; }

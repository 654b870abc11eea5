#!/usr/bin/env bash
# Run as root by the set-up: the unprivileged users the two processes run as (see README,
# "Who runs as whom"), the state the frontend may write, and the cgroups it may create builds'
# limits in. Idempotent; cgroups live in memory, so they are made again after a reboot.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR_DIR=${PLAYGROUND_VAR_DIR:-$ROOT/var}
FRONTEND_USER=playground
SANDBOX_USER=playground-sandbox
CGROUP=playground-builds

id -u "$FRONTEND_USER" >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$FRONTEND_USER"
# The sandbox service talks to the Docker socket (group docker, which dockerd's socket belongs
# to) and needs nothing else; it is the only process with that power.
id -u "$SANDBOX_USER" >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --groups docker "$SANDBOX_USER"
id -nG "$SANDBOX_USER" | grep -qw docker || usermod -aG docker "$SANDBOX_USER"

# The frontend writes only var/data (database, module proxy cache). Everything else under var/
# (helpers, the shared build cache, runsc) stays root's: a compromised frontend must not be
# able to swap a binary that root or dockerd later runs.
mkdir -p "$VAR_DIR/data"
chown -R "$FRONTEND_USER:$FRONTEND_USER" "$VAR_DIR/data"
chmod 0750 "$VAR_DIR/data"
chmod 0755 "$VAR_DIR" "$VAR_DIR/bin"

# Builds' memory and process limits: a cgroup delegated to the frontend's user, in which it
# makes one child per build (src/frontend/builder/sandbox/build-cgroup.ts).
if [ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/pids ]; then
  for c in memory pids; do
    mkdir -p "/sys/fs/cgroup/$c/$CGROUP"
    chown "$FRONTEND_USER:$FRONTEND_USER" "/sys/fs/cgroup/$c/$CGROUP"
  done
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  # cgroup v2: the frontend runs in $CGROUP/service (src/launcher/launch.ts puts it there), so that it
  # may move a build's first process into a sibling it created.
  d=/sys/fs/cgroup/$CGROUP
  mkdir -p "$d/service"
  echo '+memory +pids' >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
  echo '+memory +pids' >"$d/cgroup.subtree_control"
  chown "$FRONTEND_USER:$FRONTEND_USER" "$d" "$d/cgroup.procs" "$d/cgroup.subtree_control" "$d/cgroup.threads" "$d/service" "$d/service/cgroup.procs"
else
  echo "[setup] no cgroup hierarchy with memory and pids controllers: builds get per-process limits only"
fi

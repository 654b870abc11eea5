#!/usr/bin/env bash
# Starts the sandbox service image (scripts/sandbox-service-image.sh) as a sandbox host runs
# it: the Docker socket mounted so that it creates sibling gVisor containers, as an
# unprivileged user whose only power is the socket's group, read-only, no capabilities, on the
# host's network (the port is the host's). Every SANDBOX_* and NACL_* variable of the caller's
# environment is passed in through a private env file, so the secret is not on a command line.
#   scripts/sandbox-service-container.sh NAME    start container NAME, wait until it answers
set -euo pipefail
name=${1:?usage: $0 NAME}
image=${SANDBOX_SERVICE_IMAGE:-playground-sandbox-service:latest}
port=${SANDBOX_PORT:-8081}
socket=${DOCKER_SOCKET:-/var/run/docker.sock}
envfile=$(mktemp)
trap 'rm -f "$envfile"' EXIT
chmod 600 "$envfile"
env | grep -E '^(SANDBOX|NACL)_' | grep -vE '^SANDBOX_SERVICE_IMAGE=' >"$envfile" || true
docker run -d --name "$name" --network host --read-only --tmpfs /tmp:size=64m \
  --cap-drop ALL --security-opt no-new-privileges --pids-limit 512 \
  --group-add "$(stat -c %g "$socket")" -v "$socket:/var/run/docker.sock" \
  --env-file "$envfile" "$image" >/dev/null
for _ in $(seq 1 240); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
  if [ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != true ]; then
    docker logs "$name" 2>&1 | tail -20 >&2
    echo "sandbox service container $name exited" >&2
    exit 1
  fi
  sleep 0.25
done
echo "sandbox service container $name did not answer on port $port within 60 s" >&2
exit 1

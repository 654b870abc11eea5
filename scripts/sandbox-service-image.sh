#!/usr/bin/env bash
# Builds the sandbox service image (deploy/sandbox-service/Dockerfile) from scratch when its
# inputs changed: this machine's node with the libraries it links, the compiled sandbox service
# (dist/, so run after the TypeScript build) with just the files and packages it reaches
# (scripts/sandbox-service-files.js), and the supervisor binary its health check runs. Tagged
# by content hash and as :latest.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=${SANDBOX_SERVICE_IMAGE_NAME:-playground-sandbox-service}
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
rootfs=$ctx/rootfs
node_bin=$(readlink -f "$(command -v node)")
mkdir -p "$rootfs/usr/bin" "$rootfs/app/var/bin" "$rootfs/tmp" "$rootfs/etc"
cp "$node_bin" "$rootfs/usr/bin/node"
# The dynamic loader and every library node links, at the paths it looks for them.
for lib in $(ldd "$node_bin" | grep -o '/[^ ]*'); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
cd "$ROOT"
node scripts/sandbox-service-files.js >"$ctx/files"
cp package.json "$rootfs/app/"
while read -r f; do
  mkdir -p "$rootfs/app/$(dirname "$f")"
  cp -a "$f" "$rootfs/app/$f"
done <"$ctx/files"
cp var/bin/sandbox-supervisor "$rootfs/app/var/bin/"
printf 'root:x:0:0::/nonexistent:/sbin/nologin\nsandbox:x:10001:10001::/nonexistent:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nsandbox:x:10001:\n' >"$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"
cp deploy/sandbox-service/Dockerfile "$ctx/"
tag=$(cd "$ctx" && { cat Dockerfile; find rootfs -type f -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-12)
if ! docker image inspect "$IMAGE:$tag" >/dev/null 2>&1; then
  echo "[setup] building sandbox service image $IMAGE:$tag"
  DOCKER_BUILDKIT=0 docker build -q -t "$IMAGE:$tag" "$ctx" >/dev/null 2>&1 || DOCKER_BUILDKIT=0 docker build -t "$IMAGE:$tag" "$ctx"
fi
docker tag "$IMAGE:$tag" "$IMAGE:latest"

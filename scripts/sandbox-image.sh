#!/usr/bin/env bash
# Builds the sandbox image from scratch when its inputs changed: our static supervisor plus
# Go's zoneinfo.zip (so time.LoadLocation works inside the sandbox). Tagged by content hash and
# as :latest, which the sandbox backend uses by default (setting SANDBOX_IMAGE); and as a plain
# directory, var/sandbox-rootfs (setting SANDBOX_ROOTFS).
set -euo pipefail
GO_BIN=${1:-go}
cd "$(dirname "$0")/../sandbox-image"
IMAGE=${SANDBOX_IMAGE_NAME:-playground-sandbox}
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
(cd supervisor && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 "$GO_BIN" build -trimpath -ldflags='-s -w' -o "$ctx/supervisor" .)
cp "$("$GO_BIN" env GOROOT)/lib/time/zoneinfo.zip" "$ctx/zoneinfo.zip"
cp Dockerfile "$ctx/"
tag=$(cd "$ctx" && cat Dockerfile supervisor zoneinfo.zip | sha256sum | cut -c1-12)
mkdir -p ../var/bin
cp "$ctx/supervisor" ../var/bin/sandbox-supervisor
if ! docker image inspect "$IMAGE:$tag" >/dev/null 2>&1; then
  echo "[setup] building sandbox image $IMAGE:$tag"
  DOCKER_BUILDKIT=0 docker build -q -t "$IMAGE:$tag" "$ctx" >/dev/null 2>&1 || DOCKER_BUILDKIT=0 docker build -t "$IMAGE:$tag" "$ctx"
fi
docker tag "$IMAGE:$tag" "$IMAGE:latest"
# The same two files as a root file system for the engine that runs runsc without Docker
# (SANDBOX_ENGINE=runsc): one directory per content hash, root's and read-only, and the link
# SANDBOX_ROOTFS names swapped in one rename, so that a sandbox starting meanwhile sees either.
rootfs_dir=../var/sandbox-rootfs.$tag
if [ ! -f "$rootfs_dir/supervisor" ]; then
  rm -rf "$rootfs_dir.tmp" && mkdir -p "$rootfs_dir.tmp"
  install -m 0555 "$ctx/supervisor" "$rootfs_dir.tmp/supervisor"
  install -m 0444 "$ctx/zoneinfo.zip" "$rootfs_dir.tmp/zoneinfo.zip"
  chmod 0555 "$rootfs_dir.tmp" && mv "$rootfs_dir.tmp" "$rootfs_dir"
fi
ln -sfn "sandbox-rootfs.$tag" ../var/sandbox-rootfs.new && mv -T ../var/sandbox-rootfs.new ../var/sandbox-rootfs

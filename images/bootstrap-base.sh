#!/usr/bin/env bash
# Makes the Node base image offline, for engines that cannot pull one (no registry on our machines).
# The rootfs holds the host's own `node` binary and exactly the shared libraries `ldd` lists for it,
# busybox (static) for a shell and the tools a HEALTHCHECK needs, the host CA bundle and a non-root user.
# Where a registry exists, build the Dockerfiles with --build-arg BASE_IMAGE=node:20-bookworm-slim instead.
#
# Usage: images/bootstrap-base.sh [TAG]     (default tag: nn/node-base:<node version>)
# Idempotent: an image already carrying this node version's label is kept.
set -euo pipefail

node_bin=$(readlink -f "$(command -v node)")
node_version=$("$node_bin" --version)
tag=${1:-nn/node-base:${node_version#v}}

if docker image inspect "$tag" --format '{{ index .Config.Labels "nn.node-version" }}' 2>/dev/null |
  grep -qx "$node_version"; then
  echo "base image $tag already present"
  exit 0
fi

busybox_bin=$(command -v busybox || true)
# ldd exits non-zero for a static binary: that is the case we want.
if [ -z "$busybox_bin" ] || ! { ldd "$busybox_bin" 2>&1 || true; } | grep -q 'not a dynamic'; then
  echo "bootstrap-base: a static busybox is needed (apt-get install busybox-static)" >&2
  exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,usr/local/bin,etc/ssl/certs,tmp,home/node,app,lib64,data}
chmod 1777 "$root/tmp"

cp "$node_bin" "$root/usr/local/bin/node"
# Copy every library node links against, at the same path, so the dynamic loader finds it.
ldd "$node_bin" | awk '/=> \//{print $3} /^\s*\/lib/{print $1}' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

cp "$busybox_bin" "$root/bin/busybox"
for applet in sh ls cat env sleep wget nc ps kill mkdir rm cp mv chmod id grep sed awk head tail date; do
  ln -s busybox "$root/bin/$applet"
done
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"

# A fixed non-root uid so volumes keep their owner across image rebuilds.
cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
node:x:10001:10001:node:/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
node:x:10001:
nogroup:x:65534:
GROUP
chown -R 10001:10001 "$root/home/node" "$root/data"

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/bin:/bin HOME=/home/node NODE_ENV=production' \
  --change "LABEL nn.node-version=$node_version org.opencontainers.image.title=nn-node-base" \
  --change 'WORKDIR /home/node' \
  --change 'CMD ["node"]' \
  - "$tag" >/dev/null
echo "base image $tag built from node $node_version"

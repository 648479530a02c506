#!/usr/bin/env bash
# Builds the project's images offline: the Node base (bootstrapped from the host when no
# BASE_IMAGE is given), the service bundles, then each image. Safe to run again: docker's layer
# cache makes an unchanged image a no-op.
#   BASE_IMAGE=node:20-bookworm-slim images/build.sh    # where a registry exists
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(node -p 'require("./package.json").version ?? "0.1.0"' 2>/dev/null || echo 0.1.0)
if [ -z "${BASE_IMAGE:-}" ]; then
  BASE_IMAGE="nn/node-base:$(node --version | sed 's/^v//')"
  bash images/bootstrap-base.sh "$BASE_IMAGE"
fi

node images/bundle.mjs
bash images/stage-redis.sh
# An empty directory the Dockerfiles copy as /data owned by the image's user: a named volume mounted
# there starts with that owner (COPY --chown; the bootstrapped base has no chown to RUN).
mkdir -p dist/empty-dir

for image in devchain chain-sidecar deviguana iguana-sidecar orchestrator redis; do
  docker build -q -f "images/$image.Dockerfile" \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "VERSION=$version" \
    -t "nn/$image:$version" -t "nn/$image:latest" . >/tmp/nn-build-$image.log 2>&1 || { cat /tmp/nn-build-$image.log >&2; exit 1; }
  echo "built nn/$image:$version"
done

# deviguana answering as kmdclassic/dPoW's Iguana (its reply headers), the KMDCL network's stand-in.
docker build -q -f images/deviguana.Dockerfile \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "VERSION=$version" --build-arg IGUANA_BUILD=kmdclassic \
  -t "nn/deviguana-kmdclassic:$version" -t "nn/deviguana-kmdclassic:latest" . >/tmp/nn-build-deviguana-kmdclassic.log 2>&1 ||
  { cat /tmp/nn-build-deviguana-kmdclassic.log >&2; exit 1; }
echo "built nn/deviguana-kmdclassic:$version"

# devchain as komodod v0.9.2-2 past its sunset from height 1 (dPoW off, checkpoints on): the stand-in
# of the komodo network's daemons.
docker build -q -f images/devchain.Dockerfile \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "VERSION=$version" --build-arg KOMODOD_VERSION=0.9.2-2 \
  --build-arg SUNSET=1 -t "nn/devchain-komodod-0.9.2-2:$version" -t "nn/devchain-komodod-0.9.2-2:latest" . \
  >/tmp/nn-build-devchain-komodod.log 2>&1 || { cat /tmp/nn-build-devchain-komodod.log >&2; exit 1; }
echo "built nn/devchain-komodod-0.9.2-2:$version"

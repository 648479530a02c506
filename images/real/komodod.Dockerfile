# image: nn/komodod:0.9.2-2
# image: nn/komodod:hfnet-2024 KOMODO_COMMIT=52c01222c85a7b11f0c301feee8aca91cbf92a5d KOMODO_VERSION=0.8.3-hfnet-2024 BUILDER_IMAGE=ubuntu:20.04
# image: nn/komodod:0.8.2-a89b6e8 KOMODO_COMMIT=a89b6e8795aa6ee6771bf465e7a7e710ce363266 KOMODO_VERSION=0.8.2 BUILDER_IMAGE=ubuntu:20.04
#
# Real komodod + komodo-cli, built from source (GLEECBTC/komodo-daemon, the
# repository KomodoPlatform/komodo now redirects to). One image serves KMD and
# every assetchain: the chain is chosen by the arguments (`-ac_name=...`,
# `-datadir=...`, `-pubkey=...`) given after the image name. Not built by this
# project's CI (no registry, no internet there); see images/real/README.md.
#
# The `# image:` lines above are the images the network files name and the
# build args that make each (read by images/real/real-images.test.ts):
#   0.9.2-2          the checkpoint era (komodo network): tag v0.9.2-2, the
#                    newest release; dPoW sunset, auto-checkpoints
#   hfnet-2024       the 2024 testnet's KMD ("HF Net"): head of branch
#                    patch-s8-prepare-hf-test (dPoW 2024-testnet README.md)
#   0.8.2-a89b6e8    the 2024 testnet's DOC and MARTY: the build behind
#                    komodoofficial/komodo:cd_release_a89b6e8_master (dPoW
#                    2024-testnet docker/Dockerfile.KMD)
# The Season 8 build (2651eafc5219de3775cb08ff128c334d4c812aa9, nn/komodod:0.9.0-2651eaf)
# is retired: the network it served stopped notarising on 4-5 January 2026.
#
# Build context: images/real/   (linux/amd64 only: komodo's depends + g++-multilib)
#
# Builder: Ubuntu 22.04, what komodod_cd.yml and the Dockerfile of v0.9.2-2
# build on (the 2024 commits' CD ran on 20.04; their `# image:` lines say so).
# The binaries need only glibc, libstdc++ and libgomp at run time.
# BASE_IMAGE must not be older (glibc) than BUILDER_IMAGE.
ARG BUILDER_IMAGE=ubuntu:22.04
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BUILDER_IMAGE} AS builder

ARG KOMODO_REPO=https://github.com/GLEECBTC/komodo-daemon.git
# v0.9.2-2 (2026-06-25, merge of PR #686): the newest komodod release.
ARG KOMODO_COMMIT=ae588a92e425bc92032f7f00a01c677d19342eb5
# Empty means $(nproc).
ARG BUILD_JOBS=

ENV DEBIAN_FRONTEND=noninteractive
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# Host tools for zcutil/build.sh: it builds every library itself through
# depends/ (downloading their sources), then autogen/configure/make.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        autoconf automake bsdmainutils build-essential ca-certificates cmake \
        curl g++-multilib git libc6-dev libncurses-dev libtool m4 pkg-config \
        python3 unzip wget zlib1g-dev; \
    rm -rf /var/lib/apt/lists/*

COPY git-checkout-verified.sh /usr/local/bin/git-checkout-verified
RUN set -eux; \
    chmod 0755 /usr/local/bin/git-checkout-verified; \
    git-checkout-verified "${KOMODO_REPO}" "${KOMODO_COMMIT}" /src/komodo

WORKDIR /src/komodo
# Zcash params are NOT fetched here: ~1 GB that belongs in a volume shared by
# every komodod container (see README: komodo-fetch-params).
RUN set -eux; \
    jobs="${BUILD_JOBS:-$(nproc)}"; \
    ./zcutil/build.sh -j"${jobs}"; \
    install -d /out/bin /out/share; \
    install -m 0755 src/komodod src/komodo-cli /out/bin/; \
    strip /out/bin/komodod /out/bin/komodo-cli; \
    install -m 0755 zcutil/fetch-params.sh /out/bin/komodo-fetch-params; \
    cp /src/komodo.commit /out/share/REVISION

FROM ${BASE_IMAGE}

ARG KOMODO_REPO=https://github.com/GLEECBTC/komodo-daemon.git
ARG KOMODO_COMMIT=ae588a92e425bc92032f7f00a01c677d19342eb5
# configure.ac of v0.9.2-2: 0.9.2, build 52.
ARG KOMODO_VERSION=0.9.2-2
# Same uid and home as every image here and as the stand-ins (nn/devchain):
# units read each other's 0600 conf files (assetchain -> komodo.conf, KMD ->
# litecoin.conf, Iguana -> every conf), and network files' paths are
# relative to this home.
ARG APP_UID=10001
ARG APP_GID=10001

LABEL org.opencontainers.image.title="komodod" \
      nn.managed-by="notary-control-plane" \
      nn.real-daemon="true" \
      org.opencontainers.image.description="Komodo daemon (KMD and assetchains), built from source" \
      org.opencontainers.image.version="${KOMODO_VERSION}" \
      org.opencontainers.image.source="${KOMODO_REPO}" \
      org.opencontainers.image.revision="${KOMODO_COMMIT}"

ENV DEBIAN_FRONTEND=noninteractive

# libgomp1/libstdc++6: the only shared libraries komodod needs beyond glibc
# (depends links the rest statically). wget + ca-certificates: for
# komodo-fetch-params (zcutil/fetch-params.sh) run as a one-off.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates libgomp1 libstdc++6 wget; \
    rm -rf /var/lib/apt/lists/*; \
    groupadd --gid "${APP_GID}" notary; \
    useradd --uid "${APP_UID}" --gid "${APP_GID}" --home-dir /data \
        --no-create-home --shell /usr/sbin/nologin notary; \
    install -d -o notary -g notary -m 0700 /data /data/.komodo /data/.zcash-params

COPY --from=builder /out/bin/ /usr/local/bin/
COPY --from=builder /out/share/REVISION /usr/local/share/komodo/REVISION
COPY daemon-healthcheck.sh /usr/local/bin/daemon-healthcheck

# Fail the build, not the first start, if a shared library is missing.
RUN set -eux; \
    chmod 0755 /usr/local/bin/daemon-healthcheck; \
    if ldd /usr/local/bin/komodod /usr/local/bin/komodo-cli | grep 'not found'; then exit 1; fi

USER notary
ENV HOME=/data
WORKDIR /data

# The unit's home: KMD in ~/.komodo, an assetchain in ~/.komodo/NAME. The Zcash
# params komodod refuses to start without are read from $HOME/.zcash-params
# (src/util.cpp): mount the node's shared params volume there read-only.
VOLUME ["/data", "/data/.zcash-params"]

# KMD p2p. Assetchains use ports derived from their parameters. RPC (7771 and
# each chain's p2p+1) must never be published.
EXPOSE 7770

# komodod handles SIGTERM as a clean shutdown (flushes the block index). Give
# it minutes: `docker stop -t 600`, compose `stop_grace_period: 10m`.
STOPSIGNAL SIGTERM

# Healthy while the RPC answers, -28 (warm-up, rescan) included.
HEALTHCHECK --interval=2m --timeout=60s --start-period=10m --retries=5 \
    CMD ["/usr/local/bin/daemon-healthcheck", "komodod", "komodo-cli"]

ENTRYPOINT ["komodod"]
CMD ["-printtoconsole"]

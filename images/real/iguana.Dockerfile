# image: nn/iguana:kmdclassic-d7055a8
# image: nn/iguana:testnet-2024 DPOW_REPO=https://github.com/KomodoPlatform/dPoW.git DPOW_COMMIT=f43dbc4dd2858e32be4626ee9255df8f76d35a31 DPOW_VERSION=2024-testnet IGUANA_ELECTED_FILES=testnet2024 IGUANA_PORT=7779
#
# Real Iguana (the dPoW notarisation client) built from a pinned dPoW commit,
# with that commit's elected file(s), coins/ and assetchains.json. Not built by
# this project's CI (no registry, no internet there); see images/real/README.md.
#
# The `# image:` lines above are the images the network files name and the
# build args that make each (read by images/real/real-images.test.ts):
#   kmdclassic-d7055a8     kmdclassic/dPoW master at d7055a8 (2026-01-23): the
#                          KMDCL network (KMDCL -> LTC, PIRATE -> KMDCL),
#                          `iguana notary`, elected file "elected", API 7776
#   testnet-2024           KomodoPlatform/dPoW branch 2024-testnet head: the
#                          2024 testnet, `iguana testnet2024`, API 7779
# The Season 8 build (KomodoPlatform/dPoW 2f846c0aa790516c49299914488623ecb31b1d2b,
# nn/iguana:0.8.4-2f846c0) is retired: dPoW on Komodo mainline was sunset on
# 4-5 January 2026 (dPoW doc/update085.md).
#
# Build context: images/real/   (linux/amd64: the Makefiles hard-code x86_64 paths)
#
# Builder and runtime are the same Debian release on purpose: iguana links
# libssl/libcurl/libnanomsg/libsodium dynamically, and their sonames differ
# between releases (libssl1.1 on Ubuntu 20.04, libssl3 on bookworm). Do not use
# Debian 13/trixie as builder: GCC 14 / Clang 16+ turn the implicit function
# declarations of this old C code into errors. If bookworm fails, fall back to
# BUILDER_IMAGE=ubuntu:20.04 BASE_IMAGE=ubuntu:20.04 with
# RUNTIME_PACKAGES="ca-certificates curl libcurl4 libnanomsg5 libsodium23 libssl1.1 tini zlib1g"
# (dPoW's CI builds on Ubuntu 20.04/22.04 with nanomsg from source).
ARG BUILDER_IMAGE=debian:bookworm
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BUILDER_IMAGE} AS builder

ARG DPOW_REPO=https://github.com/kmdclassic/dPoW.git
# kmdclassic/dPoW master, "remove freq:5 for PIRATE (#6)", 2026-01-23.
ARG DPOW_COMMIT=d7055a81870d34b25b9fe29a13e4b9c7e52dc62b
# Elected files shipped in the image; the build fails if one is missing at
# DPOW_COMMIT. `iguana notary` reads "elected" (iguana/main.c).
ARG IGUANA_ELECTED_FILES="elected"

ENV DEBIAN_FRONTEND=noninteractive

# Libraries from iguana/Makefile LDFLAGS: -lnanomsg -lcurl -lssl -lcrypto
# -lpthread -lz -lm -lsodium. Compilers: clang (iguana/), gcc (crypto777/).
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        build-essential ca-certificates clang git libcurl4-openssl-dev \
        libnanomsg-dev libsodium-dev libssl-dev make zlib1g-dev; \
    rm -rf /var/lib/apt/lists/*

COPY git-checkout-verified.sh /usr/local/bin/git-checkout-verified
RUN set -eux; \
    chmod 0755 /usr/local/bin/git-checkout-verified; \
    git-checkout-verified "${DPOW_REPO}" "${DPOW_COMMIT}" /src/dPoW

WORKDIR /src/dPoW/iguana
# `make` in iguana/ is the build kmdclassic/dPoW's README.md and dPoW's CI
# (.github/workflows/main.yml) run. It builds secp256k1 and crypto777 and
# links ../agents/iguana. Serial on purpose: the Makefile's ../agents mkdir
# target is not ordered before the link.
RUN set -eux; \
    mkdir -p ../agents; \
    make; \
    install -d /out/bin /out/share/iguana; \
    install -m 0755 ../agents/iguana /out/bin/iguana; \
    strip /out/bin/iguana; \
    for f in ${IGUANA_ELECTED_FILES}; do \
        if [ ! -f "$f" ]; then echo "elected file iguana/$f missing at ${DPOW_COMMIT}" >&2; exit 1; fi; \
        install -m 0644 "$f" /out/share/iguana/; \
    done; \
    cp -R coins /out/share/iguana/coins; \
    if [ -f assetchains.json ]; then install -m 0644 assetchains.json /out/share/iguana/; fi; \
    cp /src/dPoW.commit /out/share/REVISION

FROM ${BASE_IMAGE}

ARG DPOW_REPO=https://github.com/kmdclassic/dPoW.git
ARG DPOW_COMMIT=d7055a81870d34b25b9fe29a13e4b9c7e52dc62b
# iguana/version at d7055a8 says 0.1.0 (the KMDCL fork's own numbering).
ARG DPOW_VERSION=kmdcl-0.1.0
# Where the health check knocks: 7776 for `notary`, 7779 for an elected file
# name (includes/iguana_defines.h), or the elected file's "rpcport".
ARG IGUANA_PORT=7776
ARG RUNTIME_PACKAGES="ca-certificates curl libcurl4 libnanomsg5 libsodium23 libssl3 tini zlib1g"
# Same uid and home as every image here and as the stand-in (nn/deviguana):
# Iguana reads every daemon's 0600 conf file at $HOME/<addcoin "path">/<conf>
# (iguana_chains.c), e.g. /data/.kmdclassic/kmdclassic.conf.
ARG APP_UID=10001
ARG APP_GID=10001

LABEL org.opencontainers.image.title="iguana" \
      nn.managed-by="notary-control-plane" \
      nn.real-daemon="true" \
      org.opencontainers.image.description="dPoW notarisation client (Iguana) with its commit's elected file" \
      org.opencontainers.image.version="${DPOW_VERSION}" \
      org.opencontainers.image.source="${DPOW_REPO}" \
      org.opencontainers.image.revision="${DPOW_COMMIT}"

ENV DEBIAN_FRONTEND=noninteractive

# tini: iguana as PID 1 would ignore SIGTERM (no handler, init semantics), so
# `docker stop` would always end in SIGKILL. curl: the HEALTHCHECK.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ${RUNTIME_PACKAGES}; \
    rm -rf /var/lib/apt/lists/*; \
    groupadd --gid "${APP_GID}" notary; \
    useradd --uid "${APP_UID}" --gid "${APP_GID}" --home-dir /data \
        --no-create-home --shell /usr/sbin/nologin notary; \
    install -d -o notary -g notary -m 0700 /data

COPY --from=builder /out/bin/iguana /usr/local/bin/iguana
COPY --from=builder /out/share/iguana/ /opt/dpow/iguana/
COPY --from=builder /out/share/REVISION /usr/local/share/dpow/REVISION
COPY iguana-entrypoint.sh /usr/local/bin/iguana-entrypoint
COPY iguana-healthcheck.sh /usr/local/bin/iguana-healthcheck

RUN set -eux; \
    chmod 0755 /usr/local/bin/iguana-entrypoint /usr/local/bin/iguana-healthcheck; \
    if ldd /usr/local/bin/iguana | grep 'not found'; then exit 1; fi

USER notary
ENV HOME=/data \
    IGUANA_SHARE=/opt/dpow/iguana \
    IGUANA_PORT=${IGUANA_PORT}
WORKDIR /data

# The unit's home: the daemons' conf files under their addcoin paths
# ($HOME/.kmdclassic/kmdclassic.conf, ...). Iguana's working directory (elected
# file, DB/, tmp/) is the container's working dir, upstream's ~/dPoW/iguana:
# the network file's iguana datadir, set as the unit's working dir.
VOLUME ["/data"]

# Notary p2p, the elected file's "port": 13849 for KMDCL (kmdclassic/dPoW
# iguana/elected), 17762 for the 2024 testnet (testnet2024). The HTTP API
# listens on 127.0.0.1 only and is reached from the same network namespace,
# never published.
EXPOSE 13849 17762

STOPSIGNAL SIGTERM

HEALTHCHECK --interval=1m --timeout=15s --start-period=2m --retries=3 \
    CMD ["/usr/local/bin/iguana-healthcheck"]

ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/iguana-entrypoint"]
CMD ["notary"]

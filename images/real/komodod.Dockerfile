# Real komodod + komodo-cli, built from source at the Season 8 pinned commit.
# One image serves KMD and every assetchain: the chain is chosen by the
# arguments (`-ac_name=...`, `-datadir=...`, `-pubkey=...`) given after the
# image name. Not built by this project's CI (no registry, no internet there);
# see images/real/README.md for the build command, sources and open points.
#
# Build context: images/real/   (linux/amd64 only: komodo's depends + g++-multilib)
#
# Builder default: Ubuntu 20.04, the runner komodo's CD workflow builds release
# binaries on (.github/workflows/komodod_*.yml),
# and what the community images (smk762/notary_docker_main) build on. The
# binaries need only glibc, libstdc++ and libgomp at run time, so they run on a
# newer Debian. BASE_IMAGE must not be older (glibc) than BUILDER_IMAGE.
ARG BUILDER_IMAGE=ubuntu:20.04
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BUILDER_IMAGE} AS builder

# KomodoPlatform/komodo now redirects to GLEECBTC/komodo-daemon; git follows it.
ARG KOMODO_REPO=https://github.com/KomodoPlatform/komodo.git
# Season 8: dPoW doc/update081.md "git checkout 2651eaf". Pass the full hash
# once known; a short one is resolved against the full history.
ARG KOMODO_COMMIT=2651eaf
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

ARG KOMODO_REPO=https://github.com/KomodoPlatform/komodo.git
ARG KOMODO_COMMIT=2651eaf
# Season 8 daemons report KMDversion 0.9.0 (KomodoPlatform/komodo PR #637).
ARG KOMODO_VERSION=0.9.0
# One uid for komodod, litecoind and iguana images: they read each other's
# 0600 conf files (assetchain -> komodo.conf, KMD -> litecoin.conf, iguana ->
# every conf), which only works when the owner matches.
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
    groupadd --gid "${APP_GID}" komodo; \
    useradd --uid "${APP_UID}" --gid "${APP_GID}" --home-dir /home/komodo \
        --create-home --shell /usr/sbin/nologin komodo; \
    install -d -o komodo -g komodo -m 0700 /home/komodo/.komodo /home/komodo/.zcash-params

COPY --from=builder /out/bin/ /usr/local/bin/
COPY --from=builder /out/share/REVISION /usr/local/share/komodo/REVISION
COPY daemon-healthcheck.sh /usr/local/bin/daemon-healthcheck

# Fail the build, not the first start, if a shared library is missing.
RUN set -eux; \
    chmod 0755 /usr/local/bin/daemon-healthcheck; \
    if ldd /usr/local/bin/komodod /usr/local/bin/komodo-cli | grep 'not found'; then exit 1; fi

USER komodo
ENV HOME=/home/komodo
WORKDIR /home/komodo

# Chain data for KMD (~/.komodo) and every assetchain (~/.komodo/NAME), and
# the Zcash params komodod refuses to start without.
VOLUME ["/home/komodo/.komodo", "/home/komodo/.zcash-params"]

# KMD p2p. Assetchains use ports derived from their parameters. RPC (7771 and
# each chain's p2p+1) must never be published.
EXPOSE 7770

# komodod handles SIGTERM as a clean shutdown (flushes the block index). Give
# it minutes: `docker stop -t 600`, compose `stop_grace_period: 10m`.
STOPSIGNAL SIGTERM

HEALTHCHECK --interval=2m --timeout=60s --start-period=10m --retries=5 \
    CMD ["/usr/local/bin/daemon-healthcheck", "komodod", "komodo-cli"]

ENTRYPOINT ["komodod"]
CMD ["-printtoconsole"]

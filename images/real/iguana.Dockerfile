# Real Iguana (the dPoW notarisation client) from KomodoPlatform/dPoW at a
# pinned Season 8 commit, with the elected files and coins/ data of that
# commit. Not built by this project's CI (no registry, no internet there);
# see images/real/README.md.
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
# (dPoW's own CI built on Ubuntu 18.04/20.04).
ARG BUILDER_IMAGE=debian:bookworm
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BUILDER_IMAGE} AS builder

ARG DPOW_REPO=https://github.com/KomodoPlatform/dPoW.git
# dPoW 0.8.4 (Jan 2025, last Season 8 update before the 0.8.5 dPoW sunset):
# the commit that added doc/update084.md. See README for why and what is open.
ARG DPOW_COMMIT=2f846c0aa790516c49299914488623ecb31b1d2b
# Elected files shipped in the image; the build fails if one is missing at
# DPOW_COMMIT. "notary" = main server (m_notary_main), "3rd_party" = 3P.
ARG IGUANA_ELECTED_FILES="notary 3rd_party"

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
# `make` in iguana/ is the Season 8 build (dPoW doc/update080.md; since dPoW
# 0.6.8 m_notary_build only wraps it). It builds secp256k1 and crypto777 and
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

ARG DPOW_REPO=https://github.com/KomodoPlatform/dPoW.git
ARG DPOW_COMMIT=2f846c0aa790516c49299914488623ecb31b1d2b
ARG DPOW_VERSION=0.8.4
ARG RUNTIME_PACKAGES="ca-certificates curl libcurl4 libnanomsg5 libsodium23 libssl3 tini zlib1g"
# Same uid as the komodod and litecoind images: iguana reads every daemon's
# 0600 conf file (rpcuser/rpcpassword/rpcport) by path.
ARG APP_UID=10001
ARG APP_GID=10001

LABEL org.opencontainers.image.title="iguana" \
      nn.managed-by="notary-control-plane" \
      nn.real-daemon="true" \
      org.opencontainers.image.description="dPoW notarisation client (Iguana) with Season 8 elected files" \
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
    groupadd --gid "${APP_GID}" iguana; \
    useradd --uid "${APP_UID}" --gid "${APP_GID}" --home-dir /home/iguana \
        --create-home --shell /usr/sbin/nologin iguana; \
    install -d -o iguana -g iguana -m 0700 /home/iguana/run

COPY --from=builder /out/bin/iguana /usr/local/bin/iguana
COPY --from=builder /out/share/iguana/ /opt/dpow/iguana/
COPY --from=builder /out/share/REVISION /usr/local/share/dpow/REVISION
COPY iguana-entrypoint.sh /usr/local/bin/iguana-entrypoint
COPY iguana-healthcheck.sh /usr/local/bin/iguana-healthcheck

RUN set -eux; \
    chmod 0755 /usr/local/bin/iguana-entrypoint /usr/local/bin/iguana-healthcheck; \
    if ldd /usr/local/bin/iguana | grep 'not found'; then exit 1; fi

USER iguana
ENV HOME=/home/iguana \
    IGUANA_HOME=/home/iguana/run \
    IGUANA_SHARE=/opt/dpow/iguana \
    IGUANA_PORT=7776
WORKDIR /home/iguana/run

# Iguana's working directory: elected file links, DB/, tmp/ and its other state.
VOLUME ["/home/iguana/run"]

# Notary p2p (Season 8: 13848 main, 13845 third-party; set by the elected
# file's "port"). The HTTP API (7776 / 7779) listens on 127.0.0.1 only and is
# reached from the same network namespace, never published.
EXPOSE 13848 13845

STOPSIGNAL SIGTERM

HEALTHCHECK --interval=1m --timeout=15s --start-period=2m --retries=3 \
    CMD ["/usr/local/bin/iguana-healthcheck"]

ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/iguana-entrypoint"]
CMD ["notary"]

# image: nn/kmdclassicd:1.0.0-beta25
#
# Real kmdclassicd + kmdclassic-cli (Komodo Classic, KMDCL), built from source at
# the commit of the signed tag v1.0.0-beta25. One image serves KMDCL and every
# chain the KMDCL network runs as an -ac_name chain of kmdclassicd, PIRATE
# included (kmdclassic/dPoW iguana/assetchains.old starts it as
# `kmdclassicd -pubkey=... -ac_name=PIRATE ...`), so PIRATE needs no image of
# its own. Not built by this project's CI (no registry, no internet there);
# see images/real/README.md for the build command, sources and open points.
#
# Build context: images/real/   (linux/amd64: depends + g++-multilib)
#
# Builder: Ubuntu 20.04, what kmdclassic/KmdClassic's own Dockerfile builds on
# (its release workflow uses 22.04). The binaries need only glibc, libstdc++
# and libgomp at run time. BASE_IMAGE must not be older (glibc) than the builder.
ARG BUILDER_IMAGE=ubuntu:20.04
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BUILDER_IMAGE} AS builder

ARG KMDCLASSIC_REPO=https://github.com/kmdclassic/KmdClassic.git
# v1.0.0-beta25 (tag object d4a3b92b9f8d11b9b4c25cf6c8b3c0ef45e218ce, 2025-12-25).
ARG KMDCLASSIC_COMMIT=8f0b46062d56ba4b89856d169474f6d88128d743
ARG KMDCLASSIC_TAG=v1.0.0-beta25
# The tag is signed by kmdclassic <kmdclassic@pm.me>; the fingerprint is the one
# kmdclassic/KmdClassic's Dockerfile names for release builds. 0 skips the check.
ARG KMDCLASSIC_VERIFY_TAG=1
ARG KMDCLASSIC_SIGNER_FPR=B0F1479BD10B508ACFBA6B58BF03ABE358F77E84
# Empty means $(nproc).
ARG BUILD_JOBS=

ENV DEBIAN_FRONTEND=noninteractive
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# Host tools for zcutil/build-no-qt.sh (HOW-TO-BUILD.md's list, plus cmake and
# gnupg): depends/ builds the libraries from downloaded sources.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        autoconf automake bison bsdmainutils build-essential ca-certificates cmake \
        curl dirmngr g++-multilib git gnupg libc6-dev libcurl4-gnutls-dev libtool \
        m4 ncurses-dev pkg-config python3 unzip wget zlib1g-dev; \
    rm -rf /var/lib/apt/lists/*

COPY git-checkout-verified.sh /usr/local/bin/git-checkout-verified
RUN set -eux; \
    chmod 0755 /usr/local/bin/git-checkout-verified; \
    git-checkout-verified "${KMDCLASSIC_REPO}" "${KMDCLASSIC_COMMIT}" /src/kmdclassic "${KMDCLASSIC_TAG}"; \
    if [ "${KMDCLASSIC_VERIFY_TAG}" = "1" ]; then \
        GNUPGHOME="$(mktemp -d)"; \
        export GNUPGHOME; \
        gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "${KMDCLASSIC_SIGNER_FPR}" \
            || gpg --batch --keyserver hkps://keyserver.ubuntu.com --recv-keys "${KMDCLASSIC_SIGNER_FPR}"; \
        git -C /src/kmdclassic verify-tag --raw "${KMDCLASSIC_TAG}" 2> /tmp/tag-status; \
        grep -E "^\[GNUPG:\] VALIDSIG .*${KMDCLASSIC_SIGNER_FPR}" /tmp/tag-status; \
        gpgconf --kill all; \
        rm -rf "${GNUPGHOME}" /tmp/tag-status; \
    fi

WORKDIR /src/kmdclassic
# Zcash params are NOT fetched here (upstream's entrypoint fetches them at every
# start): ~1 GB that belongs in one read-only volume shared by every chain unit.
RUN set -eux; \
    jobs="${BUILD_JOBS:-$(nproc)}"; \
    ./zcutil/build-no-qt.sh -j"${jobs}"; \
    install -d /out/bin /out/share; \
    install -m 0755 src/kmdclassicd src/kmdclassic-cli /out/bin/; \
    strip /out/bin/kmdclassicd /out/bin/kmdclassic-cli; \
    install -m 0755 zcutil/fetch-params.sh /out/bin/kmdclassic-fetch-params; \
    cp /src/kmdclassic.commit /out/share/REVISION

FROM ${BASE_IMAGE}

ARG KMDCLASSIC_REPO=https://github.com/kmdclassic/KmdClassic.git
ARG KMDCLASSIC_COMMIT=8f0b46062d56ba4b89856d169474f6d88128d743
ARG KMDCLASSIC_VERSION=1.0.0-beta25
# Same uid and home as every image here and as the stand-ins (nn/devchain):
# units read each other's 0600 conf files (Iguana reads kmdclassic.conf and
# PIRATE.conf), and the network files' paths are relative to this home.
ARG APP_UID=10001
ARG APP_GID=10001

LABEL org.opencontainers.image.title="kmdclassicd" \
      nn.managed-by="notary-control-plane" \
      nn.real-daemon="true" \
      org.opencontainers.image.description="Komodo Classic daemon (KMDCL and its -ac_name chains, PIRATE), built from source" \
      org.opencontainers.image.version="${KMDCLASSIC_VERSION}" \
      org.opencontainers.image.source="${KMDCLASSIC_REPO}" \
      org.opencontainers.image.revision="${KMDCLASSIC_COMMIT}"

ENV DEBIAN_FRONTEND=noninteractive

# libgomp1: the one shared library beyond glibc/libstdc++ (upstream's runtime
# stage installs only it). curl + ca-certificates: kmdclassic-fetch-params.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates curl libgomp1 libstdc++6 wget; \
    rm -rf /var/lib/apt/lists/*; \
    groupadd --gid "${APP_GID}" notary; \
    useradd --uid "${APP_UID}" --gid "${APP_GID}" --home-dir /data \
        --no-create-home --shell /usr/sbin/nologin notary; \
    install -d -o notary -g notary -m 0700 /data /data/.kmdclassic /data/.zcash-params

COPY --from=builder /out/bin/ /usr/local/bin/
COPY --from=builder /out/share/REVISION /usr/local/share/kmdclassic/REVISION
COPY daemon-healthcheck.sh /usr/local/bin/daemon-healthcheck

RUN set -eux; \
    chmod 0755 /usr/local/bin/daemon-healthcheck; \
    if ldd /usr/local/bin/kmdclassicd /usr/local/bin/kmdclassic-cli | grep 'not found'; then exit 1; fi

USER notary
ENV HOME=/data
WORKDIR /data

# The unit's home: ~/.kmdclassic (KMDCL) and ~/.kmdclassic/NAME (-ac_name=NAME).
# ~/.zcash-params is where kmdclassicd reads the params ($HOME/.zcash-params,
# src/util.cpp); mount the node's shared params volume there read-only.
VOLUME ["/data", "/data/.zcash-params"]

# KMDCL p2p (chainparams.cpp). PIRATE's p2p is 45452. RPC (7771, 45453) is
# never published.
EXPOSE 7770

# kmdclassicd shuts down cleanly on SIGTERM; give it minutes (docker stop -t 600).
STOPSIGNAL SIGTERM

# Healthy while the RPC answers, -28 (warm-up, rescan) included.
HEALTHCHECK --interval=2m --timeout=60s --start-period=10m --retries=5 \
    CMD ["/usr/local/bin/daemon-healthcheck", "kmdclassicd", "kmdclassic-cli"]

ENTRYPOINT ["kmdclassicd"]
CMD ["-printtoconsole"]

# image: nn/litecoind:0.21.4
#
# Real litecoind + litecoin-cli 0.21.4 (KMDCL's dPoW destination chain,
# kmdclassic/dPoW README.md), from the official release tarball. Not built by this project's CI (no
# registry, no internet there); see images/real/README.md.
#
# Build context: images/real/   (linux/amd64: the x86_64-linux-gnu tarball)
#
# LITECOIN_SHA256 has NO default on purpose: the checksum could not be read
# from the release's own SHA256SUMS.asc here, and an invented or copied value
# must never be baked in. The build fails unless it is given and matches.
# On top of that, LITECOIN_VERIFY_GPG=1 (default) checks the release's
# detached signature (<tarball>.asc) against the release signer's key.
ARG FETCH_IMAGE=debian:bookworm-slim
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${FETCH_IMAGE} AS fetch

ARG LITECOIN_VERSION=0.21.4
ARG LITECOIN_SHA256
ARG LITECOIN_BASE_URL=https://download.litecoin.org
ARG LITECOIN_VERIFY_GPG=1
# David Burkett, Litecoin Core release signer for 0.21.x (as listed in the
# AUR litecoin-bin PKGBUILD validpgpkeys; see README "unconfirmed").
ARG LITECOIN_SIGNER_FPR=D35621D53A1CC6A3456758D03620E9D387E55666

ENV DEBIAN_FRONTEND=noninteractive
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

RUN set -eux; \
    if ! printf '%s' "${LITECOIN_SHA256:-}" | grep -Eq '^[0-9a-f]{64}$'; then \
        echo "build arg LITECOIN_SHA256 is required: the SHA-256 (64 lowercase hex) of" \
             "litecoin-${LITECOIN_VERSION}-x86_64-linux-gnu.tar.gz from the release's SHA256SUMS.asc" >&2; \
        exit 1; \
    fi; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates curl dirmngr gnupg; \
    rm -rf /var/lib/apt/lists/*; \
    tarball="litecoin-${LITECOIN_VERSION}-x86_64-linux-gnu.tar.gz"; \
    url="${LITECOIN_BASE_URL}/litecoin-${LITECOIN_VERSION}/linux/${tarball}"; \
    mkdir -p /tmp/ltc; \
    cd /tmp/ltc; \
    curl -fsSL --retry 5 --retry-delay 3 -o "${tarball}" "${url}"; \
    echo "${LITECOIN_SHA256}  ${tarball}" | sha256sum -c -; \
    if [ "${LITECOIN_VERIFY_GPG}" = "1" ]; then \
        curl -fsSL --retry 5 --retry-delay 3 -o "${tarball}.asc" "${url}.asc"; \
        GNUPGHOME="$(mktemp -d)"; \
        export GNUPGHOME; \
        gpg --batch --keyserver hkps://keyserver.ubuntu.com --recv-keys "${LITECOIN_SIGNER_FPR}" \
            || gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "${LITECOIN_SIGNER_FPR}"; \
        gpg --batch --status-fd 1 --verify "${tarball}.asc" "${tarball}" > gpg-status; \
        grep -E "^\[GNUPG:\] VALIDSIG .*${LITECOIN_SIGNER_FPR}" gpg-status; \
        gpgconf --kill all; \
        rm -rf "${GNUPGHOME}"; \
    fi; \
    tar -xzf "${tarball}"; \
    install -d /out; \
    install -m 0755 "litecoin-${LITECOIN_VERSION}/bin/litecoind" \
        "litecoin-${LITECOIN_VERSION}/bin/litecoin-cli" /out/; \
    cd /; \
    rm -rf /tmp/ltc

FROM ${BASE_IMAGE}

ARG LITECOIN_VERSION=0.21.4
# The commit of tag v0.21.4 (kmdclassic/dPoW README.md links
# litecoin/tree/beae01d62292a0aab363b7a4d3f606708cea7260 as LTC 0.21.4). The
# binary comes from the release tarball checked above, not from a build of this
# commit; the label records which source the release is.
ARG LITECOIN_COMMIT=beae01d62292a0aab363b7a4d3f606708cea7260
# Same uid and home as every image here and as the stand-ins: KMDCL
# (-notary=.litecoin/litecoin.conf, relative to $HOME) and Iguana read this
# daemon's 0600 conf file.
ARG APP_UID=10001
ARG APP_GID=10001

LABEL org.opencontainers.image.title="litecoind" \
      nn.managed-by="notary-control-plane" \
      nn.real-daemon="true" \
      org.opencontainers.image.description="Litecoin Core daemon, official release binary" \
      org.opencontainers.image.version="${LITECOIN_VERSION}" \
      org.opencontainers.image.source="https://github.com/litecoin-project/litecoin" \
      org.opencontainers.image.revision="${LITECOIN_COMMIT}" \
      org.opencontainers.image.licenses="MIT"

COPY --from=fetch /out/ /usr/local/bin/
COPY daemon-healthcheck.sh /usr/local/bin/daemon-healthcheck

# The release binaries link only glibc; ldd proves it on this base.
RUN set -eux; \
    chmod 0755 /usr/local/bin/daemon-healthcheck; \
    if ldd /usr/local/bin/litecoind /usr/local/bin/litecoin-cli | grep 'not found'; then exit 1; fi; \
    groupadd --gid "${APP_GID}" notary; \
    useradd --uid "${APP_UID}" --gid "${APP_GID}" --home-dir /data \
        --no-create-home --shell /usr/sbin/nologin notary; \
    install -d -o notary -g notary -m 0700 /data /data/.litecoin

USER notary
ENV HOME=/data
WORKDIR /data

# The unit's home: ~/.litecoin holds litecoin.conf and the chain.
VOLUME ["/data"]

# p2p only; RPC 9332 must never be published.
EXPOSE 9333

# litecoind shuts down cleanly on SIGTERM; allow minutes (docker stop -t 600).
STOPSIGNAL SIGTERM

# Healthy while the RPC answers, -28 (warm-up, rescan) included.
HEALTHCHECK --interval=2m --timeout=60s --start-period=10m --retries=5 \
    CMD ["/usr/local/bin/daemon-healthcheck", "litecoind", "litecoin-cli"]

ENTRYPOINT ["litecoind"]
CMD ["-printtoconsole"]

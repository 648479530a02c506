# devchain: the project's development stand-in for komodod (KMD and -ac_name chains), kmdclassicd and,
# with -devflavour=bitcoin or under their names, for litecoind/bitcoind. Never a real daemon: mainnet/testnet use images/real/.
# Build context: the repository root after `pnpm build` (images/build.sh does both).
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
ARG VERSION=0.0.0
# The komodod devchain is by default (empty: Season 8's 0.8.2, no sunset), and its sunset: images/build.sh
# builds nn/devchain-komodod-0.9.2-2 with 0.9.2-2 and sunset 1, the komodo network as a node joining it
# in 2026 sees it (dPoW off, checkpoints on), so that network's stand-in is picked by image reference.
ARG KOMODOD_VERSION=
ARG SUNSET=
LABEL org.opencontainers.image.title="nn-devchain" \
      org.opencontainers.image.description="Development stand-in for komodod / litecoind (not a real daemon)" \
      org.opencontainers.image.version="${VERSION}" \
      nn.managed-by="notary-control-plane"
# The daemon's home (data dirs ~/.komodo, ~/.litecoin) is the one volume; uid 10001 owns it so the
# same volume works with the offline base image and with node:20-bookworm-slim.
RUN mkdir -p /data && chown 10001:10001 /data
COPY dist/devchain/ /app/
# The real daemons' names as entry points, so a unit runs the real command line (`kmdclassicd
# -ac_name=PIRATE ...`, `litecoind`, `komodo-cli getinfo`): each is a two-line wrapper that runs the
# bundle through a link of that name, and devchain takes the daemon from its program name
# (/app/bin/kmdclassicd.mjs → kmdclassicd). No shebang on the bundle: the offline base has no /usr/bin/env.
RUN mkdir -p /app/bin && \
    for name in kmdclassicd komodod litecoind bitcoind; do \
      ln -s ../devchain.mjs "/app/bin/$name.mjs" && \
      printf '#!/bin/sh\nexec node /app/bin/%s.mjs "$@"\n' "$name" >"/usr/local/bin/$name"; \
    done && \
    for name in kmdclassic-cli komodo-cli litecoin-cli bitcoin-cli; do \
      ln -s ../devchain-cli.mjs "/app/bin/$name.mjs" && \
      printf '#!/bin/sh\nexec node /app/bin/%s.mjs "$@"\n' "$name" >"/usr/local/bin/$name"; \
    done && \
    chmod 755 /usr/local/bin/kmdclassicd /usr/local/bin/komodod /usr/local/bin/litecoind /usr/local/bin/bitcoind \
      /usr/local/bin/kmdclassic-cli /usr/local/bin/komodo-cli /usr/local/bin/litecoin-cli /usr/local/bin/bitcoin-cli
ENV HOME=/data \
    DEVCHAIN_KOMODOD_VERSION=${KOMODOD_VERSION} \
    DEVCHAIN_SUNSET=${SUNSET}
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 7770 7771
# komodod's own stop path: SIGTERM lets devchain finish writing and close cleanly.
STOPSIGNAL SIGTERM
# The health probe reads PID 1's command line to find the chain's conf and RPC port, like komodo-cli
# given the same -ac_name/-datadir flags, and calls getblockcount (-28 during warm-up = not yet healthy).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/devchain-cli.mjs", "-healthcheck"]
# No --enable-source-maps: loading the map costs ~45 MiB per process (measured on chain-sidecar, 139 → 94 MiB),
# once per unit. The .map file ships alongside; NODE_OPTIONS=--enable-source-maps turns it on for debugging.
ENTRYPOINT ["node", "/app/devchain.mjs"]

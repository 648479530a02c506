# devchain: the project's development stand-in for komodod (KMD and -ac_name chains) and, with
# -devflavour=bitcoin, for litecoind/bitcoind. Never a real daemon: mainnet/testnet use images/real/.
# Build context: the repository root after `pnpm build` (images/build.sh does both).
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
ARG VERSION=0.0.0
LABEL org.opencontainers.image.title="nn-devchain" \
      org.opencontainers.image.description="Development stand-in for komodod / litecoind (not a real daemon)" \
      org.opencontainers.image.version="${VERSION}" \
      nn.managed-by="notary-control-plane"
# The daemon's home (data dirs ~/.komodo, ~/.litecoin) is the one volume; uid 10001 owns it so the
# same volume works with the offline base image and with node:20-bookworm-slim.
RUN mkdir -p /data && chown 10001:10001 /data
COPY dist/devchain/ /app/
ENV HOME=/data
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

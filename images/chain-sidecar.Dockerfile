# chain-sidecar: the sidecar of a chain daemon unit (komodod, assetchains, litecoind/bitcoind).
# In a unit the sidecar owns the network namespace and the daemon joins it, so the sidecar can write
# the daemon's upstream conf files and open its loopback bridges before the daemon starts.
# Build context: the repository root after `pnpm build` (images/build.sh does both).
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
ARG VERSION=0.0.0
LABEL org.opencontainers.image.title="nn-chain-sidecar" \
      org.opencontainers.image.description="Sidecar of a Komodo notary chain daemon unit" \
      org.opencontainers.image.version="${VERSION}" \
      nn.managed-by="notary-control-plane"
COPY dist/chain-sidecar/ /app/
# Same uid as the daemon images: the conf files it writes into the shared volume are mode 600.
USER 10001:10001
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.NN_SIDECAR_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "/app/chain-sidecar.mjs"]
CMD ["--config", "/etc/nn/sidecar.json"]

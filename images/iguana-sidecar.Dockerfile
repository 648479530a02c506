# iguana-sidecar: the sidecar of the Iguana unit (real Iguana or deviguana). It owns the unit's network
# namespace and Iguana joins it (--network container:<sidecar>): the sidecar writes the coins' conf files
# into the shared volume and opens a loopback bridge per coin (127.0.0.1:<coin rpc port>) before Iguana
# starts, reaches Iguana's API on 127.0.0.1:7776/7779, and serves its own API on the cluster network.
# Mount the volume Iguana uses as HOME (deviguana: /data) at the same path and set "home" to it in the
# config, so "/" + path + "/" + conf of each addcoin points at the same file in both containers.
# Build context: the repository root after `pnpm build` (images/build.sh does both).
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
ARG VERSION=0.0.0
LABEL org.opencontainers.image.title="nn-iguana-sidecar" \
      org.opencontainers.image.description="Sidecar of a Komodo notary Iguana unit" \
      org.opencontainers.image.version="${VERSION}" \
      nn.managed-by="notary-control-plane"
COPY dist/iguana-sidecar/ /app/
# Same uid as the daemon and deviguana images: the conf files it writes are mode 600.
USER 10001:10001
EXPOSE 8080
STOPSIGNAL SIGTERM
# busybox wget, not `node -e fetch(...)`: a Node process per check every 10 s in every unit adds up
# (about 80 ms of CPU and 40 MiB each time).
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${NN_SIDECAR_PORT:-8080}/healthz" || exit 1
# No --enable-source-maps: loading the map costs ~45 MiB per process (measured on chain-sidecar, 139 → 94 MiB),
# once per unit. The .map file ships alongside; NODE_OPTIONS=--enable-source-maps turns it on for debugging.
# Sized for a small server (issue 14, docs/benchmarks.md "Sidecar resident memory"): a 1 MiB young
# generation (V8's default grows it to 16 MiB per semi-space, which a sidecar's few live objects never
# need), and glibc handing freed malloc memory back at once (it kept ~12 MiB left over from start-up).
ENV MALLOC_TRIM_THRESHOLD_=0
ENTRYPOINT ["node", "--max-semi-space-size=1", "/app/iguana-sidecar.mjs"]
CMD ["--config", "/etc/nn/iguana-sidecar.json"]

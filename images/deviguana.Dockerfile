# deviguana: the project's development stand-in for Iguana in dPoW notary mode (Iguana's API on
# 127.0.0.1, notarisations through the daemons' RPC). Never the real Iguana: mainnet/testnet use images/real/.
# Build context: the repository root after `pnpm build` (images/build.sh does both).
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
ARG VERSION=0.0.0
# Which Iguana build's reply bytes deviguana writes: komodoplatform (KomodoPlatform/dPoW) or kmdclassic
# (kmdclassic/dPoW). images/build.sh builds nn/deviguana (komodoplatform) and nn/deviguana-kmdclassic, so a
# network's stand-in is chosen by image reference alone.
ARG IGUANA_BUILD=komodoplatform
LABEL org.opencontainers.image.title="nn-deviguana" \
      org.opencontainers.image.description="Development stand-in for Iguana (dPoW notary), not the real Iguana" \
      org.opencontainers.image.version="${VERSION}" \
      nn.managed-by="notary-control-plane"
# /data is the working directory: `deviguana notary` reads ./elected there, and the Iguana unit's sidecar
# writes the coins' conf files under it (addcoin's "path" fields point there).
RUN mkdir -p /data && chown 10001:10001 /data
COPY dist/deviguana/ /app/
# Iguana's own name as an entry point: a unit runs the real command line, `iguana notary`.
RUN printf '#!/bin/sh\nexec node /app/deviguana.mjs "$@"\n' >/usr/local/bin/iguana && chmod 755 /usr/local/bin/iguana
ENV HOME=/data \
    DEVIGUANA_PORT=7776 \
    DEVIGUANA_BUILD=${IGUANA_BUILD}
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
# The API listens on 127.0.0.1 only (as Iguana): nothing to EXPOSE; the unit's sidecar reaches it in-namespace.
STOPSIGNAL SIGTERM
# Iguana's replies have headers strict HTTP parsers refuse ("Content-Length :"), so the probe speaks raw
# TCP: a harmless `help` POST, healthy when the reply carries a result. Set DEVIGUANA_PORT to match the mode
# (7776 notary, 7779 <electedfile>, or -port=N).
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "const b='{\"agent\":\"SuperNET\",\"method\":\"help\"}';const s=require('net').connect(+process.env.DEVIGUANA_PORT,'127.0.0.1',()=>s.write('POST / HTTP/1.1\\r\\nContent-Length: '+b.length+'\\r\\n\\r\\n'+b));let o='';s.setTimeout(4000,()=>process.exit(1));s.on('data',d=>o+=d);s.on('end',()=>process.exit(o.startsWith('HTTP/1.1 200')&&o.includes('\"result\"')?0:1));s.on('error',()=>process.exit(1))"]
# No --enable-source-maps: loading the map costs ~45 MiB per process (measured on chain-sidecar, 139 → 94 MiB),
# once per unit. The .map file ships alongside; NODE_OPTIONS=--enable-source-maps turns it on for debugging.
ENTRYPOINT ["node", "/app/deviguana.mjs"]
CMD ["notary"]

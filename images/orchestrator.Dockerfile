# orchestrator: the control plane's orchestrator (`nn-orchestrator`: HTTP API and job workers) as one
# bundled file, and `nnctl` beside it (docker exec ... nnctl status). Run by `nnctl up` (as the container
# <name>-orchestrator) and by deploy/compose. Whoever runs it mounts the Docker engine's socket (and, for
# engines on other hosts, their TLS files) and the config file with the directories it names.
# Build context: the repository root after `pnpm build` (images/build.sh does both).
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
ARG VERSION=0.0.0
LABEL org.opencontainers.image.title="nn-orchestrator" \
      org.opencontainers.image.description="Orchestrator of a Komodo notary node: API and job workers" \
      org.opencontainers.image.version="${VERSION}" \
      nn.managed-by="notary-control-plane"
COPY dist/orchestrator/ /app/
COPY dist/nnctl/nnctl.mjs /app/nnctl.mjs
# deploy/compose keeps the secrets the workers generate in a volume here (it starts with this owner).
COPY --chown=10001:10001 dist/empty-dir/ /data/
USER 10001:10001
EXPOSE 7780
# SIGTERM: the API finishes its requests and the workers hand their jobs back to the queue; give it time
# (docker stop -t / compose stop_grace_period).
STOPSIGNAL SIGTERM
# The API's health route (answers 200 while the process serves; its body says whether Redis is up).
# NN_HEALTH_URL follows the config's api.listen; a worker-only container has no API and runs without it.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD wget -q -O /dev/null "${NN_HEALTH_URL:-http://127.0.0.1:7780/healthz}" || exit 1
# No --enable-source-maps (about 45 MiB resident per process); NODE_OPTIONS=--enable-source-maps to debug.
# Sized for its working set (issue 14; bench/orchestrator-memory.ts runs the bundle the same way, keep
# the two in step): 1 MiB semi-spaces instead of V8's 16 MiB, and glibc handing freed malloc memory back.
ENV MALLOC_TRIM_THRESHOLD_=0
ENTRYPOINT ["node", "--max-semi-space-size=1", "/app/nn-orchestrator.mjs"]
CMD ["--config", "/etc/nn/orchestrator.json"]

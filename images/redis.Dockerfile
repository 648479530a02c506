# redis: the control plane's Redis (state and BullMQ queue), for `nnctl up` and deploy/compose.
# Debian's redis-server build and its libraries, staged from the build machine by images/stage-redis.sh
# (no registry here); on the project's Node base, which has busybox for the HEALTHCHECK's shell.
# Build context: the repository root after images/stage-redis.sh (images/build.sh does it).
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
ARG VERSION=0.0.0
LABEL org.opencontainers.image.title="nn-redis" \
      org.opencontainers.image.description="Redis for the Komodo notary control plane (AOF, noeviction)" \
      org.opencontainers.image.version="${VERSION}" \
      nn.managed-by="notary-control-plane"
COPY dist/redis/root/ /
# A named volume mounted here starts with this directory's owner, so the non-root server can write it.
COPY --chown=10001:10001 dist/empty-dir/ /data/
USER 10001:10001
WORKDIR /data
EXPOSE 6379
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD redis-cli -p "${NN_REDIS_PORT:-6379}" ping | grep -q PONG || exit 1
ENTRYPOINT ["redis-server"]
# BullMQ needs noeviction (an evicted job key corrupts the queue); AOF so the state survives a crash.
CMD ["--dir", "/data", "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", \
     "--maxmemory-policy", "noeviction"]

# Sourced by .ci/run and the deploy scripts: brings a fresh Debian machine to where the project runs.
# Installs pnpm and the workspace's packages, starts a Docker engine if none answers, builds the
# project's images offline. Safe to run again: each step is skipped when already done.
# Sets NN_STARTED_DOCKERD to the pid of a dockerd it started (empty when one was already running).

# shellcheck source=deploy/lib/docker-engine.sh
source "$(dirname "${BASH_SOURCE[0]}")/docker-engine.sh"

nn_bootstrap() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  if ! command -v pnpm >/dev/null 2>&1; then
    echo "installing pnpm"
    npm install -g pnpm@12 >/dev/null
  fi
  (cd "$root" && pnpm install --frozen-lockfile --reporter=silent)
  ensure_docker_engine
  # The nn/redis image carries Debian's redis-server build from this machine (images/stage-redis.sh);
  # redis-tools has the binary and starts no service.
  command -v redis-check-rdb >/dev/null 2>&1 || apt_install redis-tools
  (cd "$root" && bash images/build.sh)
}

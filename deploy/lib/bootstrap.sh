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

# Podman plays Kubernetes pod specs without a cluster (test/kubernetes/podman-*.test.ts plays the
# kubernetes adapter's pod templates with `podman kube play`); catatonit is its pause binary. Without
# the ulimits line every container fails here with `error setting rlimit type 6: operation not
# permitted` (podman asks for higher limits than these VMs allow). Safe to run again.
ensure_podman() {
  command -v podman >/dev/null 2>&1 && command -v catatonit >/dev/null 2>&1 || apt_install podman catatonit
  local conf=/etc/containers/containers.conf
  local line='default_ulimits = ["nofile=16384:16384", "nproc=32768:32768"]'
  mkdir -p /etc/containers
  if [ ! -f "$conf" ]; then
    printf '[containers]\n%s\n' "$line" >"$conf"
  elif ! grep -q '^[[:space:]]*default_ulimits' "$conf"; then
    if grep -q '^\[containers\]' "$conf"; then
      sed -i "/^\[containers\]/a $line" "$conf"
    else
      printf '\n[containers]\n%s\n' "$line" >>"$conf"
    fi
  fi
}

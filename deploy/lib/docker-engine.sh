# Sourced by .ci/run and deploy scripts: makes sure a Docker engine answers on the default socket.
# On these machines Debian's engine is installed from apt and started with iptables off (no NAT is
# allowed here; see docs/environment notes). An engine that already answers is used as it is.

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_docker_engine() {
  NN_STARTED_DOCKERD=""
  if docker info >/dev/null 2>&1; then
    echo "docker engine already running"
    return 0
  fi
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v busybox >/dev/null 2>&1; then
    apt_install docker.io busybox-static
  fi
  setsid dockerd --iptables=false --ip6tables=false >/var/log/nn-dockerd.log 2>&1 </dev/null &
  NN_STARTED_DOCKERD=$!
  for _ in $(seq 150); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
  docker info >/dev/null 2>&1 || { echo "docker engine did not start; see /var/log/nn-dockerd.log" >&2; return 1; }
  echo "docker engine started (pid $NN_STARTED_DOCKERD)"
}

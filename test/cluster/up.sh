#!/usr/bin/env bash
# Starts N extra Docker engines for multi-node tests, each in its own network namespace, joined by a
# Linux bridge on a private /24 of the project's own. Everything made is written to $STATE/made (one
# line per resource) before it is made, so down.sh removes exactly that, by name or pid, even after a
# failure half-way. Engines are never started in the host's network namespace (they would take over
# the host engine's docker0).
#
#   up.sh STATE_DIR [N] [SLOT]  -> STATE_DIR/engines.json: [{name, socket, address, tcp?, labels}]
#
# SLOT (0-7, default 0) lets test files run clusters side by side on disjoint ranges. Addresses: nodes
# 10.213.<slot>.<i+1>/24 (host side .1), engine i's default bridge 10.214.<slot*16+i>.1/24 and its user
# networks from 10.215.<slot*16+i>.0/24 (pieces of /27). Nothing is NATed (--iptables=false), so every
# namespace gets routes to every other engine's container ranges, pointing into our own bridge only.
set -euo pipefail
STATE=${1:?usage: up.sh STATE_DIR [N]}
N=${2:-2}
SLOT=${3:-0}
case "$SLOT" in [0-7]) ;; *) echo "SLOT must be 0-7" >&2; exit 2 ;; esac
[ "$N" -ge 1 ] && [ "$N" -le 15 ] || { echo "N must be 1-15" >&2; exit 2; }
NET=10.213.$SLOT
BASE=$((SLOT * 16))
IMAGES=${NN_CLUSTER_IMAGES:-nn/devchain:latest nn/chain-sidecar:latest}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
echo "$SLOT" >"$STATE/slot"
id=$(basename "$STATE" | tr -cd 'a-z0-9' | tail -c 6)
made="$STATE/made"
: >"$made"

on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "up.sh failed (exit $rc): tearing down what was made" >&2
    bash "$HERE/down.sh" "$STATE" >&2 || true
  fi
}
trap on_exit EXIT

# Root-only tools: a fresh CI machine may lack them.
if ! command -v ip >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iproute2
fi
command -v dockerd >/dev/null || { echo "dockerd is not installed" >&2; exit 1; }
if [ "${NN_CLUSTER_TLS:-0}" = 1 ] && ! command -v openssl >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl
fi

# Refuse to share our ranges with anything already present (another cluster run, a real network).
for prefix in "$NET.0/24" "10.214.$BASE.0/20" "10.215.$BASE.0/20"; do
  if [ -n "$(ip -4 route show to match "$prefix" | grep -v '^default')" ] || \
     [ -n "$(ip -4 route show root "$prefix")" ]; then
    echo "address range $prefix is already routed on this machine: is another cluster running?" >&2
    exit 1
  fi
done

# NN_CLUSTER_TLS=1: each engine also listens on tcp://<address>:2376 with --tlsverify, its server
# certificate signed by a CA made here, and tls/client-{cert,key}.pem is a client the engines accept.
if [ "${NN_CLUSTER_TLS:-0}" = 1 ]; then
  tls="$STATE/tls"
  mkdir -p "$tls"
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout "$tls/ca-key.pem" -out "$tls/ca.pem" -days 2 -subj "/CN=nn-test-ca" 2>/dev/null
  sign() { # sign NAME EXTENSIONS
    openssl req "${ec[@]}" -keyout "$tls/$1-key.pem" -out "$tls/$1.csr" -subj "/CN=$1" 2>/dev/null
    printf '%s\n' "$2" >"$tls/$1.ext"
    openssl x509 -req -in "$tls/$1.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" -CAcreateserial \
      -out "$tls/$1-cert.pem" -days 2 -extfile "$tls/$1.ext" 2>/dev/null
  }
  for i in $(seq 1 "$N"); do
    sign "e$i" "$(printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth' "$NET.$((i + 1))")"
  done
  sign client 'extendedKeyUsage=clientAuth'
  chmod 600 "$tls"/*-key.pem
fi

bridge="nnbr$id"
echo "bridge $bridge" >>"$made"
ip link add "$bridge" type bridge
ip addr add "$NET.1/24" dev "$bridge"
ip link set "$bridge" up

engines_json="["
for i in $(seq 1 "$N"); do
  ns="nn-$id-$i"
  veth="nnv$id$i"
  addr="$NET.$((i + 1))"
  dir="$STATE/e$i"
  mkdir -p "$dir"
  echo "netns $ns" >>"$made"
  ip netns add "$ns"
  echo "veth $veth" >>"$made"
  ip link add "$veth" type veth peer name eth0 netns "$ns"
  ip link set "$veth" master "$bridge" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
  echo "engine $dir" >>"$made"
  bash "$HERE/start-engine.sh" "$STATE" "$i"
  sep=","
  [ "$i" -eq 1 ] && sep=""
  tcp=""
  [ -d "$STATE/tls" ] && tcp=",\"tcp\":\"tcp://$addr:2376\""
  engines_json+="$sep{\"name\":\"e$i\",\"socket\":\"$dir/docker.sock\",\"address\":\"$addr\"$tcp,\"labels\":{\"nn.zone\":\"z$i\"}}"
done
engines_json+="]"

# Routes: host and every namespace reach each engine's container ranges via that engine's address.
for i in $(seq 1 "$N"); do
  via="$NET.$((i + 1))"
  for range in "10.214.$((BASE + i)).0/24" "10.215.$((BASE + i)).0/24"; do
    echo "route - $range" >>"$made"
    ip route add "$range" via "$via" dev "$bridge"
    for j in $(seq 1 "$N"); do
      [ "$j" = "$i" ] && continue
      ip -n "nn-$id-$j" route add "$range" via "$via" dev eth0
    done
  done
done

for i in $(seq 1 "$N"); do
  sock="$STATE/e$i/docker.sock"
  deadline=$((SECONDS + 30))
  until docker -H "unix://$sock" info >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "engine e$i did not start; its log:" >&2
      tail -n 30 "$STATE/e$i/dockerd.log" >&2
      exit 1
    fi
    sleep 0.2
  done
done

# No registry: the engines get the project's images from the host engine.
# shellcheck disable=SC2086
docker save $IMAGES >"$STATE/images.tar"
for i in $(seq 1 "$N"); do
  docker -H "unix://$STATE/e$i/docker.sock" load -q -i "$STATE/images.tar" >/dev/null
done
rm -f "$STATE/images.tar"

echo "$engines_json" >"$STATE/engines.json"
echo "$engines_json"

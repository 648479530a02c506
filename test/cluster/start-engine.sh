#!/usr/bin/env bash
# Starts engine I of the cluster in STATE_DIR inside its namespace (also used to restart it after a
# stop). Records its pid in STATE_DIR/made first, so down.sh can stop it even if this script dies.
#   start-engine.sh STATE_DIR I
set -euo pipefail
STATE=$1
i=$2
HERE=$(cd "$(dirname "$0")" && pwd)
id=$(basename "$STATE" | tr -cd 'a-z0-9' | tail -c 6)
ns="nn-$id-$i"
dir="$STATE/e$i"
slot=$(cat "$STATE/slot" 2>/dev/null || echo 0)
n=$((slot * 16 + i))
# With a tls/ dir (up.sh NN_CLUSTER_TLS=1), also TCP on the engine's address, client certificates required.
tcp=()
if [ -d "$STATE/tls" ]; then
  tcp=(-H "tcp://10.213.$slot.$((i + 1)):2376" --tlsverify --tlscacert "$STATE/tls/ca.pem"
    --tlscert "$STATE/tls/e$i-cert.pem" --tlskey "$STATE/tls/e$i-key.pem")
fi
# setsid: the engine must not die with the caller's session. setsid, ip netns exec and the wrapper
# all exec, so $! is dockerd's own pid, known before its pidfile is written.
setsid ip netns exec "$ns" bash "$HERE/dockerd-in-netns.sh" dockerd \
  --data-root "$dir/data" --exec-root "$dir/x" --pidfile "$dir/docker.pid" \
  -H "unix://$dir/docker.sock" "${tcp[@]}" --iptables=false --ip6tables=false \
  --bip "10.214.$n.1/24" --default-address-pool "base=10.215.$n.0/24,size=27" \
  --shutdown-timeout 10 --label "nn.node=e$i" \
  >>"$dir/dockerd.log" 2>&1 </dev/null &
echo "pid $! $dir" >>"$STATE/made"

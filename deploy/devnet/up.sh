#!/usr/bin/env bash
# Starts a small devnet on the local Docker engine, all devchain (the project's komodod stand-in):
#   - KMD, with an operator-written komodo.conf;
#   - CCL (komodod -ac_name=CCL, dPoW's line), sharing KMD's network namespace and ~/.komodo, the way
#     assetchains share a host with KMD today: it reads the parent komodo.conf and calls KMD at
#     127.0.0.1 for KMDnotarized_height;
#   - a second CCL instance on its own, connected to the first over the devnet's bridge network.
# Then waits until CCL sees KMD and both CCL instances agree on the chain, and prints a summary.
# Running it again changes nothing that is already running. deploy/devnet/down.sh removes it all.
#
# Usage: deploy/devnet/up.sh [--project NAME] [--block-time SECONDS] [--skip-bootstrap]
set -euo pipefail
cd "$(dirname "$0")/../.."

project=nn-devnet
block_time=5
bootstrap=1
while [ $# -gt 0 ]; do
  case "$1" in
    --project) project=$2; shift 2 ;;
    --block-time) block_time=$2; shift 2 ;;
    --skip-bootstrap) bootstrap=0; shift ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    *) echo "up.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$project" =~ ^[a-z][a-z0-9-]{0,30}$ ]]; then
  echo "up.sh: --project must be lower-case letters, digits and dashes (got '$project')" >&2; exit 2
fi
if ! [[ "$block_time" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
  echo "up.sh: --block-time must be a number of seconds (got '$block_time')" >&2; exit 2
fi

if [ "$bootstrap" = 1 ]; then
  source deploy/lib/bootstrap.sh
  nn_bootstrap
fi

image=nn/devchain:latest
owner=(--label nn.managed-by=notary-control-plane --label "nn.project=$project")
ccl=(-ac_name=CCL -ac_supply=200000000 -ac_end=1 -ac_cc=2)

exists() { docker inspect "$1" >/dev/null 2>&1; }
running() { [ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }

exists "$project-net" || docker network create "${owner[@]}" "$project-net" >/dev/null
for v in "$project-komodo" "$project-peer"; do exists "$v" || docker volume create "${owner[@]}" "$v" >/dev/null; done

# KMD's conf is the operator's to write (komodo-facts §3). The password goes in through stdin, never
# through arguments or the environment, and the file is mode 600.
if ! docker run --rm --entrypoint sh -v "$project-komodo:/data" "$image" -c 'test -s /data/.komodo/komodo.conf'; then
  password=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
  printf 'rpcuser=devnet\nrpcpassword=%s\nrpcport=7771\nport=7770\nserver=1\ntxindex=1\nrpcworkqueue=256\nrpcbind=127.0.0.1\nrpcallowip=127.0.0.1\n' "$password" |
    docker run -i --rm --entrypoint sh -v "$project-komodo:/data" "$image" \
      -c 'umask 077 && mkdir -p /data/.komodo && cat > /data/.komodo/komodo.conf'
  unset password
fi

start() { # name, docker-run options..., -- , daemon flags...
  local name=$1; shift
  if running "$name"; then echo "$name: already running"; return; fi
  if exists "$name"; then docker start "$name" >/dev/null; echo "$name: started again"; return; fi
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  # Daemons get minutes to stop: komodod flushes its state on SIGTERM, and never kill -9 a daemon.
  docker run -d --name "$name" "${owner[@]}" --stop-timeout 120 --restart unless-stopped "${opts[@]}" "$image" "$@" >/dev/null
  echo "$name: created"
}

start "$project-kmd" --network "$project-net" -v "$project-komodo:/data" -- "-devblocktime=$block_time"
start "$project-ccl" --network "container:$project-kmd" -v "$project-komodo:/data" -- "${ccl[@]}" "-devblocktime=$block_time"
start "$project-ccl-peer" --network "$project-net" -v "$project-peer:/data" -- "${ccl[@]}" -gen=0 "-addnode=$project-kmd:20848"

cli() { local c=$1; shift; docker exec "$c" node /app/devchain-cli.mjs "$@"; }
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];console.log(v===undefined?"":v)})' "$1"; }

echo "waiting for CCL to see KMD and for both CCL instances to agree ..."
deadline=$((SECONDS + 180))
while :; do
  kmd_blocks=$(cli "$project-kmd" getblockcount 2>/dev/null || echo -1)
  ccl_info=$(cli "$project-ccl" "${ccl[@]}" getinfo 2>/dev/null || echo '{}')
  kmd_seen=$(printf '%s' "$ccl_info" | field KMDnotarized_height)
  ccl_best=$(cli "$project-ccl" "${ccl[@]}" getbestblockhash 2>/dev/null || echo a)
  peer_best=$(cli "$project-ccl-peer" "${ccl[@]}" getbestblockhash 2>/dev/null || echo b)
  peers=$(cli "$project-ccl-peer" "${ccl[@]}" getconnectioncount 2>/dev/null || echo 0)
  if [ "${kmd_seen:-0}" -gt 0 ] 2>/dev/null && [ "$peers" -ge 1 ] && [ "$ccl_best" = "$peer_best" ]; then break; fi
  if [ $SECONDS -gt $deadline ]; then
    echo "devnet did not settle in 180 s (KMD blocks $kmd_blocks, CCL sees KMD at ${kmd_seen:-?}, peers $peers)" >&2
    exit 1
  fi
  sleep 1
done

printf '\n%-22s %-8s %-8s %-12s %-20s\n' container chain blocks connections KMDnotarized_height
for c in "$project-kmd" "$project-ccl" "$project-ccl-peer"; do
  if [ "$c" = "$project-kmd" ]; then flags=(); chain=KMD; else flags=("${ccl[@]}"); chain=CCL; fi
  info=$(cli "$c" "${flags[@]}" getinfo)
  printf '%-22s %-8s %-8s %-12s %-20s\n' "$c" "$chain" "$(printf '%s' "$info" | field blocks)" \
    "$(printf '%s' "$info" | field connections)" "$(printf '%s' "$info" | field KMDnotarized_height)"
done
cat <<MSG

devnet '$project' is up (devchain stand-ins, not the real daemons).
  query:  docker exec $project-ccl node /app/devchain-cli.mjs ${ccl[*]} getinfo
  logs:   docker logs -f $project-kmd
  remove: deploy/devnet/down.sh --project $project [--volumes]
MSG

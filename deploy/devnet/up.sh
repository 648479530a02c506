#!/usr/bin/env bash
# A whole devnet notary node on this machine, from nothing: installs what is missing (pnpm, the
# workspace, Debian's Docker engine), builds the project's images offline, then runs
# `nnctl up --network devnet`: LTC, KMD and Iguana units with their sidecars, Redis and the orchestrator
# (API and workers) as containers, and three Season 8 assetchains through the queue, notarising within
# minutes.
# Running it again changes nothing that is already right. deploy/devnet/down.sh [--volumes] removes it.
#
# Usage: deploy/devnet/up.sh [--skip-bootstrap] [nnctl up options: --name, --api-port, --redis, ...]
set -euo pipefail
cd "$(dirname "$0")/../.."

bootstrap=1
args=()
for a in "$@"; do
  case "$a" in
    --skip-bootstrap) bootstrap=0 ;;
    -h|--help) sed -n 2,8p "$0"; exit 0 ;;
    *) args+=("$a") ;;
  esac
done

if [ "$bootstrap" = 1 ]; then
  source deploy/lib/bootstrap.sh
  nn_bootstrap
fi

exec pnpm -s nnctl up --network devnet "${args[@]}"

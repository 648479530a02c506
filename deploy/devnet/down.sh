#!/usr/bin/env bash
# Removes the devnet notary node deploy/devnet/up.sh made (`nnctl down`): the orchestrator, every unit
# (stopped gracefully), the network and a Redis it started; with --volumes also the chain data, the
# desired state and the node's home with its secrets.
# Usage: deploy/devnet/down.sh [--name NAME] [--volumes]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec pnpm -s nnctl down "$@"

#!/usr/bin/env bash
# Removes what deploy/devnet/up.sh made for a project, found by its ownership labels: containers
# (stopped gracefully, with time to flush), the network and, with --volumes, the chain data.
# Usage: deploy/devnet/down.sh [--project NAME] [--volumes]
set -euo pipefail
project=nn-devnet
volumes=0
while [ $# -gt 0 ]; do
  case "$1" in
    --project) project=$2; shift 2 ;;
    --volumes) volumes=1; shift ;;
    -h|--help) sed -n 2,4p "$0"; exit 0 ;;
    *) echo "down.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
filter=(--filter label=nn.managed-by=notary-control-plane --filter "label=nn.project=$project")
ids=$(docker ps -aq "${filter[@]}")
if [ -n "$ids" ]; then
  # shellcheck disable=SC2086
  docker stop -t 120 $ids >/dev/null
  # shellcheck disable=SC2086
  docker rm $ids >/dev/null
fi
nets=$(docker network ls -q "${filter[@]}")
# shellcheck disable=SC2086
[ -z "$nets" ] || docker network rm $nets >/dev/null
if [ "$volumes" = 1 ]; then
  vols=$(docker volume ls -q "${filter[@]}")
  # shellcheck disable=SC2086
  [ -z "$vols" ] || docker volume rm $vols >/dev/null
fi
echo "devnet '$project' removed$([ "$volumes" = 1 ] && echo ', with its data' || true)"

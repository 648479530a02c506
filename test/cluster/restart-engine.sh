#!/usr/bin/env bash
# Stops engine I of the cluster (SIGTERM to its pid, checked to be this cluster's dockerd) and starts
# it again in its namespace, for tests of event-stream reconnection and of units surviving a restart.
#   restart-engine.sh STATE_DIR I
set -euo pipefail
STATE=$1
i=$2
HERE=$(cd "$(dirname "$0")" && pwd)
dir="$STATE/e$i"
pid=$(cat "$dir/docker.pid")
if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--data-root $dir/data"; then
  kill -TERM "$pid"
  for _ in $(seq 1 300); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
  [ -e "/proc/$pid" ] && { echo "engine e$i (pid $pid) did not stop" >&2; exit 1; }
fi
bash "$HERE/start-engine.sh" "$STATE" "$i"
deadline=$((SECONDS + 30))
until docker -H "unix://$dir/docker.sock" info >/dev/null 2>&1; do
  [ "$SECONDS" -ge "$deadline" ] && { echo "engine e$i did not come back" >&2; exit 1; }
  sleep 0.2
done

#!/usr/bin/env bash
# Removes what up.sh recorded in STATE_DIR/made, newest first, each by its own name or pid. Safe to run
# twice and after a partial up.sh. Never pkill/killall: a pid is signalled only after checking that its
# command line names this cluster's own directory.
set -uo pipefail
STATE=${1:?usage: down.sh STATE_DIR}
STATE=$(cd "$STATE" 2>/dev/null && pwd) || exit 0
made="$STATE/made"
[ -f "$made" ] || exit 0

ours() { # pid dir -> true when /proc/pid/cmdline mentions dir
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF "$2/"
}

stop_pid() { # pid dir
  local pid=$1 dir=$2
  ours "$pid" "$dir" || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 150); do ours "$pid" "$dir" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  for _ in $(seq 1 50); do ours "$pid" "$dir" || return 0; sleep 0.1; done
}

# Pass 1: every engine's containers, killed (a graceful engine shutdown would wait for each unit's
# long stop timeout; these are test units).
grep '^engine ' "$made" | while read -r _ dir; do
  sock="$dir/docker.sock"
  if [ -S "$sock" ] && timeout 10 docker -H "unix://$sock" info >/dev/null 2>&1; then
    ids=$(timeout 10 docker -H "unix://$sock" ps -aq)
    # shellcheck disable=SC2086
    [ -n "$ids" ] && timeout 60 docker -H "unix://$sock" rm -fv $ids >/dev/null 2>&1
  fi
done

# Pass 2: newest first, each resource by its name or pid.
tac "$made" | while read -r kind a b; do
  case "$kind" in
    engine)
      dir=$a
      [ -f "$dir/docker.pid" ] && stop_pid "$(cat "$dir/docker.pid")" "$dir"
      # dockerd's own containerd, if the engine died without stopping it.
      [ -f "$dir/x/containerd/containerd.pid" ] && stop_pid "$(cat "$dir/x/containerd/containerd.pid")" "$dir"
      ;;
    pid) stop_pid "$a" "$b" ;;
    route) ip route del "$b" 2>/dev/null ;;
    veth) ip link del "$a" 2>/dev/null ;;
    netns) ip netns del "$a" 2>/dev/null ;;
    bridge) ip link del "$a" 2>/dev/null ;;
  esac
done
# Engine data (overlay layers, volumes) lived only in the engines' own mount namespaces, gone with them.
rm -rf "$STATE" 2>/dev/null || true
exit 0

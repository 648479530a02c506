#!/usr/bin/env bash
# Runs dockerd inside `ip netns exec NS`. That command gives the process its own mount namespace and
# remounts /sys for the network namespace, which hides the cgroup hierarchies ("Devices cgroup isn't
# mounted"). Mount them again, exactly as the host (pid 1's mount namespace) has them, then exec dockerd.
set -euo pipefail
mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
while read -r _src target fstype opts _rest; do
  case "$target" in /sys/fs/cgroup/*) ;; *) continue ;; esac
  mkdir -p "$target"
  if [ "$fstype" = cgroup2 ]; then
    mount -t cgroup2 cgroup2 "$target"
  elif [ "$fstype" = cgroup ]; then
    # Keep only the controller / name= options; the same set attaches the host's existing hierarchy.
    sub=$(echo "$opts" | tr ',' '\n' | grep -Ev '^(rw|ro|relatime|nosuid|nodev|noexec|clone_children|xattr)$' | paste -sd, -)
    mount -t cgroup -o "${sub:-none}" cgroup "$target"
  fi
done < /proc/1/mounts
exec "$@"

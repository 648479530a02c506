#!/usr/bin/env bash
# Stages the files of the nn/redis image under dist/redis/ (images/redis.Dockerfile copies them): there
# is no registry to pull a Redis image from, so the image carries Debian's own redis-server build, taken
# from this machine as images/bootstrap-base.sh takes node: the binary of the redis-tools package
# (/usr/bin/redis-check-rdb is redis-server under another name; it picks its mode from argv[0]), redis-cli
# for the HEALTHCHECK, and exactly the shared libraries `ldd` lists for them, at the same paths.
# redis-tools installs no service, so nothing starts on the host. Idempotent: dist/redis is made anew.
set -euo pipefail
cd "$(dirname "$0")/.."

server=$(command -v redis-check-rdb || true)
cli=$(command -v redis-cli || true)
if [ -z "$server" ] || [ -z "$cli" ]; then
  echo "stage-redis: redis-check-rdb and redis-cli are needed (apt-get install redis-tools)" >&2
  exit 1
fi

out=dist/redis
rm -rf "$out"
mkdir -p "$out/root/usr/local/bin"
cp -L "$server" "$out/root/usr/local/bin/redis-server"
cp -L "$cli" "$out/root/usr/local/bin/redis-cli"
for bin in "$server" "$cli"; do
  ldd "$bin" | awk '/=> \//{print $3} /^\s*\/lib/{print $1}'
done | sort -u | while read -r lib; do
  mkdir -p "$out/root$(dirname "$lib")"
  cp -L "$lib" "$out/root$lib"
done
"$out/root/usr/local/bin/redis-server" --version | sed 's/^/staged /'

#!/bin/sh
# Check out one exact commit of a public repository and prove it is that commit.
# Used by the builder stages of komodod.Dockerfile and iguana.Dockerfile.
#
#   git-checkout-verified <repo-url> <commit> <dest-dir>
#
# <commit> must be 7..40 lowercase hex digits: a branch or tag name is refused,
# because those move. A full 40-digit hash is fetched alone (depth 1); a short
# hash needs the history to be resolved, so the repository is cloned without
# blobs and the hash is resolved by git (an ambiguous prefix makes git fail).
# The resolved full hash is written to <dest-dir>.commit.
set -eu

if [ "$#" -ne 3 ]; then
	echo "usage: git-checkout-verified <repo-url> <commit> <dest-dir>" >&2
	exit 2
fi
repo=$1
commit=$2
dest=$3

case "$commit" in
"" | *[!0-9a-f]*)
	echo "refusing commit '$commit': expected 7..40 lowercase hex digits" >&2
	exit 1
	;;
esac
len=${#commit}
if [ "$len" -lt 7 ] || [ "$len" -gt 40 ]; then
	echo "refusing commit '$commit': expected 7..40 lowercase hex digits" >&2
	exit 1
fi

if [ "$len" -eq 40 ]; then
	git init -q "$dest"
	git -C "$dest" remote add origin "$repo"
	git -C "$dest" fetch -q --depth 1 origin "$commit"
	git -C "$dest" -c advice.detachedHead=false checkout -q --detach FETCH_HEAD
else
	git clone -q --filter=blob:none --no-checkout "$repo" "$dest"
	git -C "$dest" -c advice.detachedHead=false checkout -q --detach "${commit}^{commit}"
fi

actual=$(git -C "$dest" rev-parse HEAD)
case "$actual" in
"$commit"*) ;;
*)
	echo "checked-out commit $actual does not match requested $commit" >&2
	exit 1
	;;
esac
printf '%s\n' "$actual" >"${dest}.commit"
echo "verified $repo at $actual"

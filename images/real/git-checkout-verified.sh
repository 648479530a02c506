#!/bin/sh
# Check out one exact commit of a public repository and prove it is that commit.
# Used by the builder stages of every source-built image in images/real.
#
#   git-checkout-verified <repo-url> <commit> <dest-dir> [<tag>]
#
# <commit> must be the full 40-digit lowercase hash: a branch, a tag name or a
# short hash is refused (branches and tags move; a short hash can become
# ambiguous). The commit is fetched alone (depth 1), checked out detached, and
# HEAD is compared with it. With <tag>, the tag is fetched too and must point at
# <commit>, so a pin and the release it claims to be cannot drift apart; the tag
# object is kept (refs/tags/<tag>) for a signature check by the caller.
# The verified hash is written to <dest-dir>.commit.
set -eu

if [ "$#" -lt 3 ] || [ "$#" -gt 4 ]; then
	echo "usage: git-checkout-verified <repo-url> <commit> <dest-dir> [<tag>]" >&2
	exit 2
fi
repo=$1
commit=$2
dest=$3
tag=${4:-}

case "$commit" in
*[!0-9a-f]*) ok=0 ;;
*) ok=1 ;;
esac
if [ "$ok" -ne 1 ] || [ "${#commit}" -ne 40 ]; then
	echo "refusing commit '$commit': expected the full 40-digit lowercase hash" >&2
	exit 1
fi

git init -q "$dest"
git -C "$dest" remote add origin "$repo"
git -C "$dest" fetch -q --depth 1 origin "$commit"
git -C "$dest" -c advice.detachedHead=false checkout -q --detach FETCH_HEAD

actual=$(git -C "$dest" rev-parse HEAD)
if [ "$actual" != "$commit" ]; then
	echo "checked-out commit $actual does not match requested $commit" >&2
	exit 1
fi

if [ -n "$tag" ]; then
	git -C "$dest" fetch -q --depth 1 origin "refs/tags/$tag:refs/tags/$tag"
	tagged=$(git -C "$dest" rev-parse "refs/tags/$tag^{commit}")
	if [ "$tagged" != "$commit" ]; then
		echo "tag $tag points at $tagged, not at the pinned $commit" >&2
		exit 1
	fi
fi

printf '%s\n' "$actual" >"${dest}.commit"
echo "verified $repo at $actual${tag:+ (tag $tag)}"

#!/bin/sh
# Start Iguana the way dPoW's m_notary_main does (`../agents/iguana notary` run
# from iguana/): Iguana reads its elected file (notary p2p port, minsigs,
# seeds, the elected pubkeys) from its working directory and writes its state
# (DB/, tmp/, ...) there too. That directory is $IGUANA_HOME, by default the
# working dir the container was started in (the network file's iguana datadir
# inside the unit's volume); the files shipped from the pinned dPoW commit are
# linked into it unless the operator (or the orchestrator) has put a file of
# the same name there.
#
# Which file Iguana reads (iguana/main.c iguana_main): the argument `notary`
# reads "elected" (API 7776); any other word is itself the file name (API
# 7779, e.g. `testnet2024`); `-port=N`, `OStests` and `stats` read "elected".
# A leading word `iguana` (the binary named in a command line) is dropped.
set -eu

: "${IGUANA_HOME:=$(pwd)}"
: "${IGUANA_SHARE:=/opt/dpow/iguana}"
: "${IGUANA_BIN:=/usr/local/bin/iguana}"

mkdir -p "$IGUANA_HOME"
cd "$IGUANA_HOME"
for shipped in "$IGUANA_SHARE"/*; do
	name=${shipped##*/}
	if [ ! -e "$name" ] && [ ! -L "$name" ]; then
		ln -s "$shipped" "$name"
	fi
done

if [ "${1:-}" = "iguana" ]; then
	shift
fi
if [ "$#" -eq 0 ]; then
	set -- notary
fi
case "$1" in
notary* | -port=* | OStests | stats) elected=elected ;;
*) elected=$1 ;;
esac
if [ ! -f "$elected" ]; then
	echo "iguana: elected file '$elected' not found in $IGUANA_HOME" >&2
	exit 1
fi

exec "$IGUANA_BIN" "$@"

#!/bin/sh
# Start Iguana the way dPoW's m_notary_main / m_notary_3rdparty do:
# `iguana <elected-file-name>` run from a directory holding that file, because
# Iguana reads the elected file (notary p2p port, minsigs, seeds, the elected
# pubkeys) from its working directory and writes its state (DB/, tmp/, ...)
# there too. That directory is the writable volume $IGUANA_HOME; the files
# shipped from the pinned dPoW commit are linked into it unless the operator
# has put a file of the same name there (e.g. a newer elected file).
set -eu

: "${IGUANA_HOME:=/home/iguana/run}"
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

if [ "$#" -eq 0 ]; then
	set -- notary
fi
case "$1" in
-*) ;;
*)
	if [ ! -f "$1" ]; then
		echo "iguana: elected file '$1' not found in $IGUANA_HOME" >&2
		exit 1
	fi
	;;
esac

exec "$IGUANA_BIN" "$@"

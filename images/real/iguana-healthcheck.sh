#!/bin/sh
# Docker HEALTHCHECK for Iguana: its HTTP API answers on 127.0.0.1 only
# (7776 for `iguana notary`, 7779 for an elected file name), without auth. The
# probe is {"agent":"dpow","method":"notarychains"}, a read-only listing
# (ZERO_ARGS(dpow,notarychains) in dPoW iguana/iguana_notary.c): it changes no
# state, unlike myipaddr/addnotary/addcoin/dpow. Healthy when a status line
# came back: builds before kmdclassic/dPoW c2f1230 send "Content-Length :"
# (space before the colon), which curl does not take as a length, so the body
# may run into the time-out; the status code curl saw still counts.
set -u

port=${IGUANA_PORT:-7776}
code=$(curl --silent --max-time 10 --output /dev/null --write-out '%{http_code}' \
	--data '{"agent":"dpow","method":"notarychains"}' \
	"http://127.0.0.1:${port}/")
case "$code" in
"" | 000)
	echo "no HTTP reply from Iguana on 127.0.0.1:${port}" >&2
	exit 1
	;;
esac
exit 0

#!/bin/sh
# Docker HEALTHCHECK for Iguana: its HTTP API answers on 127.0.0.1 only
# (7776 main, 7779 third-party), without auth. The probe is
# {"agent":"dpow","method":"notarychains"}, a read-only listing
# (ZERO_ARGS(dpow,notarychains) in dPoW iguana/iguana_notary.c): it changes no
# state, unlike myipaddr/addnotary/addcoin/dpow. Any HTTP reply counts as
# alive; refused connections and timeouts do not.
set -eu

port=${IGUANA_PORT:-7776}
curl --silent --show-error --max-time 10 --output /dev/null \
	--data '{"agent":"dpow","method":"notarychains"}' \
	"http://127.0.0.1:${port}/"

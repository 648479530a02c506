#!/bin/sh
# Docker HEALTHCHECK for komodod (KMD or any assetchain) and litecoind.
#
#   daemon-healthcheck <daemon-process-name> <cli>
#   e.g. daemon-healthcheck komodod komodo-cli
#
# One image serves KMD and every assetchain, so the check cannot hard-code
# -ac_name. It reads the running daemon's own command line from /proc and hands
# the flags that select the chain, data dir, conf file and RPC endpoint to the
# CLI. The CLI then finds rpcuser/rpcpassword in the same conf file the daemon
# wrote or read (same user, same HOME), so no credential is ever put in the
# image, the environment or the healthcheck command.
#
# Healthy: the RPC answers getblockcount, or answers with error -28 (warm-up:
# "Loading block index...", "Rescanning..."), which can last hours and is not
# a fault: on Swarm an unhealthy task is replaced, and killing a daemon in a
# rescan only starts the rescan again. HEALTHCHECK_WARMUP_OK=0 makes -28
# unhealthy instead. Unhealthy: no daemon process, connection refused, auth
# failure, or a timeout (the HEALTHCHECK --timeout).
# Extra CLI flags: $HEALTHCHECK_CLI_ARGS.
set -eu

if [ "$#" -ne 2 ]; then
	echo "usage: daemon-healthcheck <daemon-process-name> <cli>" >&2
	exit 2
fi
daemon=$1
cli=$2

# The daemon is PID 1 unless the container runs with an init (docker --init),
# so look it up by name. /proc/PID/comm holds at most 15 characters.
pid=""
for dir in /proc/[0-9]*; do
	if [ "$(cat "$dir/comm" 2>/dev/null || true)" = "$daemon" ]; then
		pid=${dir#/proc/}
		break
	fi
done
if [ -z "$pid" ]; then
	echo "no $daemon process" >&2
	exit 1
fi

# Rebuild the argument list from the daemon's NUL-separated command line,
# keeping only the flags that tell the CLI which daemon to talk to.
set --
while IFS= read -r arg; do
	case "$arg" in
	--*) arg=${arg#-} ;;
	esac
	case "$arg" in
	-ac_name=* | -datadir=* | -conf=* | -rpcport=* | -rpcconnect=* | -rpccookiefile=* | \
		-testnet | -testnet=* | -regtest | -regtest=* | -signet | -signet=* | -chain=*)
		set -- "$@" "$arg"
		;;
	esac
done <<EOF
$(tr '\0' '\n' <"/proc/$pid/cmdline")
EOF

# shellcheck disable=SC2086 # HEALTHCHECK_CLI_ARGS is a word list on purpose.
if out=$("$cli" "$@" ${HEALTHCHECK_CLI_ARGS:-} getblockcount 2>&1); then
	exit 0
fi
case "$out" in
*"error code: -28"*)
	# Warming up: the process is alive and serving RPC.
	if [ "${HEALTHCHECK_WARMUP_OK:-1}" = "1" ]; then
		exit 0
	fi
	;;
esac
printf '%s\n' "$out" | head -c 400 >&2
exit 1

#!/usr/bin/env node
// devchain-cli: komodo-cli for devchain. `devchain-cli [daemon flags] METHOD [PARAMS...]` reads the
// same conf the daemon reads and calls its RPC. `-healthcheck` is the image's health probe: it takes
// the daemon flags from PID 1's command line.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { callRpc, rpcTargetFor } from './cli/rpc-call.js';
import { daemonOfProgram } from './node/daemon-name.js';

/** komodo-cli's parameter conversion, simplified: JSON-looking arguments are parsed, others are strings. */
function convertParam(arg: string): unknown {
  if (/^(-?\d+(\.\d+)?|true|false|null)$/.test(arg) || /^[[{]/.test(arg)) {
    try {
      return JSON.parse(arg);
    } catch {
      return arg;
    }
  }
  return arg;
}

/** The daemon's program and flags from /proc/1/cmdline (node, its options and the script come first). */
function pid1Daemon(): { program: string | undefined; flags: string[] } {
  const parts = readFileSync('/proc/1/cmdline', 'utf8').split('\0').filter(Boolean);
  return {
    program: parts.find((p) => !p.startsWith('-') && daemonOfProgram(p) !== undefined),
    flags: parts.filter((p) => p.startsWith('-') && !p.startsWith('--enable-source-maps')),
  };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const home = process.env.HOME ?? homedir();
  if (args[0] === '-healthcheck') {
    // Alive = RPC answers, including -28: a long rescan must not be taken for a dead daemon.
    const pid1 = pid1Daemon();
    const target = rpcTargetFor(pid1.flags, home, pid1.program);
    const out = await callRpc(target, 'getblockcount', [], 4_000);
    return out.error === null || out.error.code === -28 ? 0 : 1;
  }
  const flags = args.filter((a) => a.startsWith('-') && !/^-\d/.test(a));
  const rest = args.filter((a) => !flags.includes(a));
  const [method, ...params] = rest;
  if (!method) {
    process.stderr.write(
      'Usage: devchain-cli [daemon flags] METHOD [PARAMS...] (also as kmdclassic-cli, komodo-cli, litecoin-cli)\n',
    );
    return 1;
  }
  const out = await callRpc(rpcTargetFor(flags, home, process.argv[1]), method, params.map(convertParam));
  if (out.error) {
    process.stderr.write(`error code: ${out.error.code}\nerror message:\n${out.error.message}\n`);
    return 1;
  }
  process.stdout.write(
    typeof out.result === 'string' ? `${out.result}\n` : `${JSON.stringify(out.result, null, 2)}\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`devchain-cli: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);

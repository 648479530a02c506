#!/usr/bin/env node
// devchain: a development stand-in for komodod (KMD and -ac_name chains) and, with
// -devflavour=litecoin|bitcoin, for litecoind/bitcoind. Same flags, conf files, ports and RPC.
import { homedir } from 'node:os';
import { KomodoArgsError } from '@nn/komodo-params';
import { createLogger } from './log.js';
import { daemonOfProgram } from './node/daemon-name.js';
import { DevchainNode } from './node/devchain-node.js';
import { DevchainConfigError, resolveDevchainConfig } from './node/resolve-config.js';

const USAGE = `devchain — development stand-in for komodod / kmdclassicd / litecoind / bitcoind (not a real daemon)

Usage: devchain [komodod flags]     (or started as kmdclassicd, komodod, litecoind, bitcoind: that daemon)
  -ac_name=NAME -ac_supply=N ...   an assetchain, exactly as komodod takes them
  -pubkey=HEX -datadir=DIR -conf=FILE -port=N -rpcport=N -addnode=HOST[:PORT] -gen=0|1 ...
devchain's own flags:
  -devflavour=komodo|litecoin|bitcoin   which daemon to stand in for (default komodo, or the program's name)
  -devas=kmdclassicd|komodod|litecoind|bitcoind   the daemon to be, as if started under that name
  -devversion=0.8.2|0.9.2|0.9.2-1|0.9.2-2   komodod's version (default 0.8.2); 0.9.2* end dPoW at the sunset
                                        and answer getcheckpoint, syncCheckpoint*, secured_by_checkpoint
  -devsunset=HEIGHT|UNIXTIME            with -devversion=0.9.2*: this chain's sunset (and checkpoint start)
                                        in place of 4771595 (KMD) / 1767528000 (assetchains)
  -devblocktime=SECONDS                 block spacing (default: the chain's own, e.g. 60 for KMD)
  -devwarmup=SECONDS                    extra -28 warm-up time at start-up (default 0)
  -devnotaries=FILE                     Iguana elected-notaries file: whose signatures notarise (komodod has
                                        its season's notaries compiled in); without it nothing is notarised`;

async function main(): Promise<number> {
  // The program's name picks the daemon (the image's kmdclassicd, komodod, litecoind entry points); a
  // daemon's name given first (`node devchain.mjs kmdclassicd -ac_name=...`) counts the same.
  let argv = process.argv.slice(2);
  let program = process.argv[1];
  if (argv[0] !== undefined && daemonOfProgram(argv[0]) !== undefined) {
    program = argv[0];
    argv = argv.slice(1);
  }
  if (argv.includes('-?') || argv.includes('-help') || argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let resolved: ReturnType<typeof resolveDevchainConfig>;
  try {
    resolved = resolveDevchainConfig(argv, process.env.HOME ?? homedir(), program, process.env);
  } catch (err) {
    if (err instanceof KomodoArgsError || err instanceof DevchainConfigError) {
      process.stderr.write(`Error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const log = createLogger(resolved.cfg.name);
  // Handlers go in before the node starts: as PID 1 in a container, a signal without a handler is
  // ignored, and a stop during start-up would otherwise wait for the engine's kill.
  let node: DevchainNode | undefined;
  let stopRequested = false;
  const onSignal = (signal: string) => {
    log.info({ signal }, 'signal received');
    stopRequested = true;
    if (node) void node.stop(0);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  try {
    node = await DevchainNode.start(resolved.cfg, log, resolved.confExists);
  } catch (err) {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (stopRequested) void node.stop(0);
  await node.done;
  return node.exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`devchain: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

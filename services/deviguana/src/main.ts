#!/usr/bin/env node
// deviguana: a development stand-in for Iguana in dPoW notary mode. Same command line, API port, replies
// and error strings; it produces notarisations through the daemons' RPC. Never the real Iguana.
import { StartError, startDeviguana } from './app.js';
import { CliError, parseCli, USAGE } from './cli.js';
import { deviguanaLogger } from './log.js';

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseCli>;
  try {
    opts = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`Error: ${err.message}\n${USAGE}\n`);
      return 1;
    }
    throw err;
  }
  if (opts === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const log = deviguanaLogger();
  let app: Awaited<ReturnType<typeof startDeviguana>>;
  try {
    app = await startDeviguana(opts, log);
  } catch (err) {
    process.stderr.write(`Error: ${err instanceof StartError ? err.message : (err as Error).message}\n`);
    return 1;
  }
  const onSignal = (signal: string) => {
    log.info({ signal }, 'signal received');
    void app.stop();
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  await app.done;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`deviguana: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

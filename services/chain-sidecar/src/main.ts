#!/usr/bin/env node
// chain-sidecar: the sidecar of a chain daemon unit. Usage: chain-sidecar --config /etc/nn/sidecar.json
import { closeOnSignal, createLogger, runProgram } from '@nn/shared';
import { loadSidecarConfig, SidecarConfigError } from './config.js';
import { startSidecar } from './sidecar.js';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const i = args.indexOf('--config');
  const path = i >= 0 ? args[i + 1] : process.env.NN_SIDECAR_CONFIG;
  if (args.includes('--help')) {
    process.stdout.write('Usage: chain-sidecar --config FILE   (or NN_SIDECAR_CONFIG=FILE)\n');
    return 0;
  }
  if (!path) {
    process.stderr.write('chain-sidecar: no config: give --config FILE or NN_SIDECAR_CONFIG=FILE\n');
    return 2;
  }
  let cfg: ReturnType<typeof loadSidecarConfig>;
  try {
    cfg = loadSidecarConfig(path);
  } catch (err) {
    if (err instanceof SidecarConfigError) {
      process.stderr.write(`chain-sidecar: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const log = createLogger('chain-sidecar', { base: { chain: cfg.chain } });
  const sidecar = await startSidecar(cfg, log);
  // SIGTERM is the unit stopping (pod deletion, docker stop): stop the daemon gracefully with it.
  const stopOnSignal = process.env.NN_SIDECAR_STOP_DAEMON !== '0';
  await closeOnSignal(log, () => sidecar.close({ stopDaemon: stopOnSignal }));
  return 0;
}

runProgram('chain-sidecar', main);

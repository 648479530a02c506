#!/usr/bin/env node
// iguana-sidecar: the sidecar of the Iguana unit. Usage: iguana-sidecar --config /etc/nn/iguana-sidecar.json
import { closeOnSignal, createLogger, runProgram } from '@nn/shared';
import { ConfigError, type IguanaSidecarConfig, loadConfig } from './config.js';
import { startIguanaSidecar } from './sidecar.js';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    process.stdout.write('Usage: iguana-sidecar --config FILE   (or NN_IGUANA_SIDECAR_CONFIG=FILE)\n');
    return 0;
  }
  const i = args.indexOf('--config');
  const path = i >= 0 ? args[i + 1] : process.env.NN_IGUANA_SIDECAR_CONFIG;
  if (!path) {
    process.stderr.write('iguana-sidecar: no config: give --config FILE or NN_IGUANA_SIDECAR_CONFIG=FILE\n');
    return 2;
  }
  let cfg: IguanaSidecarConfig;
  try {
    cfg = loadConfig(path);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`iguana-sidecar: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const log = createLogger('iguana-sidecar', { base: { iguanaPort: cfg.iguanaPort } });
  let sidecar: Awaited<ReturnType<typeof startIguanaSidecar>>;
  try {
    sidecar = await startIguanaSidecar(cfg, log);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`iguana-sidecar: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  await closeOnSignal(log, () => sidecar.close());
  return 0;
}

runProgram('iguana-sidecar', main);

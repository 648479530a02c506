import { resolve } from 'node:path';
import { checkLayers } from './check-layers.js';
import { formatReport } from './format-report.js';
import { LayersInputError } from './layers-config.js';

// `pnpm run layers` (from the repo root) or `tsx tools/layers/main.ts [workspace root]`.
// Exit 0: no violation; 1: violations, listed; 2: an input of the check is unusable.

function main(): number {
  const root = resolve(process.argv[2] ?? process.cwd());
  try {
    const report = checkLayers(root);
    const text = formatReport(report);
    if (report.violations.length === 0) {
      process.stdout.write(`${text}\n`);
      return 0;
    }
    process.stderr.write(`${text}\n`);
    return 1;
  } catch (err) {
    if (!(err instanceof LayersInputError)) throw err;
    process.stderr.write(`layers: ${err.message}\n`);
    return 2;
  }
}

process.exitCode = main();

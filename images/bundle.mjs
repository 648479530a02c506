// Bundles each service entry point into one ESM file under dist/<image>/, so an image needs only
// node and that file: no node_modules, no pnpm, nothing fetched at build time.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** image name → entry points (output name → source). */
export const bundles = {
  devchain: {
    devchain: 'services/devchain/src/main.ts',
    'devchain-cli': 'services/devchain/src/cli-main.ts',
  },
  'chain-sidecar': {
    'chain-sidecar': 'services/chain-sidecar/src/main.ts',
  },
  deviguana: {
    deviguana: 'services/deviguana/src/main.ts',
  },
  'iguana-sidecar': {
    'iguana-sidecar': 'services/iguana-sidecar/src/main.ts',
  },
};

for (const [image, entries] of Object.entries(bundles)) {
  const outdir = join(root, 'dist', image);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([out, src]) => [out, join(root, src)])),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    legalComments: 'none',
    // Optional native modules that their users load inside try/catch (bunyan, via bitcoin-core's
    // logger, probes for DTrace): left out of the bundle, so the require fails and is skipped.
    external: ['dtrace-provider'],
    logLevel: 'warning',
    // Some CommonJS dependencies call require() on node built-ins; give the ESM bundle one.
    banner: {
      js: "import { createRequire as __nnCreateRequire } from 'node:module'; const require = __nnCreateRequire(import.meta.url);",
    },
  });
  console.log(`bundled ${image}: ${Object.keys(entries).join(', ')}`);
}

// Bundles each service entry point into one ESM file under dist/<image>/, so an image needs only
// node and that file: no node_modules, no pnpm, nothing fetched at build time.
import { cpSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  // The control plane. nnctl is one file too (no splitting): it is copied to a notary server and run
  // with `node nnctl.mjs`, so its lazy `import()`s of up/ stay in the file as modules evaluated only
  // when `up`/`down` runs (esbuild wraps them), and no chunk sits beside it to lose (only the shipped
  // network files, for `up --network NAME`).
  orchestrator: {
    'nn-orchestrator': 'orchestrator/app/src/main.ts',
  },
  nnctl: {
    nnctl: 'orchestrator/cli/src/main.ts',
  },
};

/** Where a package a workspace package depends on (even indirectly, through `via`) sits. */
function packageDir(from, name, via) {
  let req = createRequire(join(root, from, 'package.json'));
  if (via) req = createRequire(req.resolve(via));
  return dirname(req.resolve(`${name}/package.json`));
}
const bullBoardUi = packageDir('orchestrator/api', '@bull-board/ui', '@bull-board/api');

/** image → files read at run time from beside the bundle (bundle-relative target → absolute source). */
const assets = {
  // The shipped network files (`nnctl up --network devnet`); a path to a file of one's own needs none.
  nnctl: { networks: join(root, 'networks') },
  orchestrator: {
    // The API's status page (orchestrator/api reads status-page/ next to its module, here the bundle).
    'status-page': join(root, 'orchestrator/api/src/http/status-page'),
    // The queue dashboard's UI: bull-board finds it with require.resolve('@bull-board/ui/package.json'),
    // which from the bundle looks in node_modules beside it.
    'node_modules/@bull-board/ui/package.json': join(bullBoardUi, 'package.json'),
    'node_modules/@bull-board/ui/dist': join(bullBoardUi, 'dist'),
  },
};

/** Images whose bundle is split at its dynamic imports (see bundle()). */
const SPLIT = new Set(['orchestrator']);

/**
 * Bundles `entries` (output name → source, relative to the repository) into `outdir`, with `image`'s
 * assets. Exported for the benches that bundle an entry of their own the way the images are built.
 */
export async function bundle(image, entries, outdir = join(root, 'dist', image)) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    // The orchestrator's image ships its directory whole, so its lazy import()s (the Kubernetes client,
    // ~3 MB of the bundle, loaded only by a cluster's orchestrator) go to chunk files beside it: a
    // process holds the source of every module file it loads as a string, and a Docker orchestrator
    // never loads those. The others stay single files (nnctl is copied to servers as one file).
    splitting: SPLIT.has(image),
    chunkNames: 'chunks/[name]-[hash]',
    entryPoints: Object.fromEntries(Object.entries(entries).map(([out, src]) => [out, join(root, src)])),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    legalComments: 'none',
    // A process holds its whole bundle's source as one V8 string for as long as it runs, and a single
    // non-ASCII character in a comment stores it two bytes a character: unminified, the chain sidecar's
    // 5.5 MB file took 11 MiB of heap. Minified and ASCII-only it is 2.7 MB at one byte each. Names
    // are kept (errors' names, fastify's plugin names); the .map beside it maps stack traces back.
    minify: true,
    keepNames: true,
    charset: 'ascii',
    // Optional native modules that their users load inside try/catch (dtrace-provider, probed for by
    // bunyan; ssh2, via dockerode, for cpu-features and its own crypto binding, and falls back to
    // node:crypto): left out of the bundle, so the require fails and is skipped.
    external: ['dtrace-provider', 'cpu-features', '*.node'],
    logLevel: 'warning',
    // Some CommonJS dependencies call require() on node built-ins, and some read __dirname (ssh2, via
    // dockerode, at load time); give the ESM bundle both (under names of our own: a bundled module may
    // declare a __dirname of its own).
    banner: {
      js: [
        "import { createRequire as __nnCreateRequire } from 'node:module';",
        "import { dirname as __nnPathDirname } from 'node:path';",
        "import { fileURLToPath as __nnFileURLToPath } from 'node:url';",
        'const require = __nnCreateRequire(import.meta.url);',
        'const __nnFilename = __nnFileURLToPath(import.meta.url);',
        'const __nnDirname = __nnPathDirname(__nnFilename);',
      ].join(' '),
    },
    define: { __dirname: '__nnDirname', __filename: '__nnFilename' },
  });
  for (const [target, source] of Object.entries(assets[image] ?? {}))
    cpSync(source, join(outdir, target), { recursive: true, dereference: true });
}

// Run as a program (images/build.sh, the benches): every image's bundle. Imported: only bundle().
// Real paths on both sides: a checkout reached through a symlink must still build.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [image, entries] of Object.entries(bundles)) {
    await bundle(image, entries);
    console.log(`bundled ${image}: ${Object.keys(entries).join(', ')}`);
  }
}

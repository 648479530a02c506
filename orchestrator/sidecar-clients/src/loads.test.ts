import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The point of this package: the orchestrator talks to the sidecars without loading them. esbuild
// bundles the package's entry as node would load it and lists every file that went in; none may be
// Fastify, the RPC client or any other runtime part of a sidecar, only their contract files.

const ENTRY = fileURLToPath(new URL('./index.ts', import.meta.url));
const HEAVY = /node_modules\/(\.pnpm\/)?(fastify|bitcoin-core|undici|pino|prom-client|@fastify)[@/]/;

describe('@nn/sidecar-clients', () => {
  it('loads the sidecars only through their contract subpaths: no Fastify, no RPC client', async () => {
    const result = await build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const sidecarFiles = inputs.filter((f) => /services\/(chain|iguana)-sidecar\//.test(f));
    // The bundle did take the contracts (a check that finds no sidecar file at all would prove nothing).
    expect(sidecarFiles.some((f) => f.includes('services/chain-sidecar/src/contract/'))).toBe(true);
    expect(sidecarFiles.some((f) => f.includes('services/iguana-sidecar/src/contract/'))).toBe(true);
    expect(sidecarFiles.filter((f) => !/\/src\/contract\//.test(f))).toEqual([]);
    expect(inputs.filter((f) => HEAVY.test(f))).toEqual([]);
  });
});

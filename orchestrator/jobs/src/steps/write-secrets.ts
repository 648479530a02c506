import { readFileSync } from 'node:fs';
import { parseSidecarConfig, SidecarConfigError } from '@nn/chain-sidecar';
import { type ChainSpec, PermanentError } from '@nn/orchestrator-core';
import type { ChainJobContext } from '../context.js';
import type { ChainSecrets } from '../secrets/secret-store.js';
import { chainUnitFiles, inVolume } from '../unit/unit-files.js';
import { unitPaths } from '../unit/unit-paths.js';

/**
 * secrets: the chain's RPC credentials and sidecar tokens (generated once, 0600 files on the
 * orchestrator), the KMD bridge's viewer token, all written into the unit's volume with the conf files.
 * Re-running writes the same bytes. Nothing secret is returned to the job or logged.
 */
export async function writeSecrets(
  ctx: ChainJobContext,
  spec: ChainSpec,
  node: string,
  volume: string,
  step: 'secrets' | 'start' = 'secrets',
): Promise<ChainSecrets> {
  await ctx.progress.enter(step, step === 'secrets' ? 'conf files and tokens' : undefined);
  const { secrets, config, runtime } = ctx.deps;
  const chainSecrets = secrets.chain(spec.id, spec.identity.acName);
  const kmdToken = config.kmd ? secrets.readExternal(config.kmd.viewerTokenFile) : undefined;
  const files = [
    ...chainUnitFiles(spec, config, chainSecrets, kmdToken, node),
    ...config.unitFiles.map((f) => ({ path: f.path, content: readProfileFile(f.source), mode: 0o600 })),
  ];
  const sidecarJson = files.find(
    (f) => f.path === inVolume(unitPaths(spec, config.home).sidecarConfig, config.home),
  );
  try {
    parseSidecarConfig(JSON.parse(String(sidecarJson?.content ?? '')));
  } catch (err) {
    if (err instanceof SidecarConfigError)
      throw new PermanentError(`the chain sidecar's config: ${err.message}`);
    throw err;
  }
  await runtime.putFiles(node, volume, files.slice(0, 1));
  await ctx.checkpoint('conf written');
  await runtime.putFiles(node, volume, files.slice(1));
  await ctx.checkpoint('secrets written');
  return chainSecrets;
}

function readProfileFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new PermanentError(
      `unitFiles: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
}

import { readFileSync } from 'node:fs';
import { sidecarConfigSchema } from '@nn/chain-sidecar/contract';
import { type ChainSpec, fieldIssues, PermanentError } from '@nn/orchestrator-core';
import type { UnitSpec } from '@nn/runtime';
import type { ChainJobContext } from '../context.js';
import type { ChainSecrets } from '../secrets/secret-store.js';
import { chainUnitFiles, inVolume } from '../unit/unit-files.js';
import { unitPaths } from '../unit/unit-paths.js';

export interface PreparedUnit {
  /** The unit spec with its conf files and tokens: the runtime writes them whenever it starts the sidecar. */
  readonly unit: UnitSpec;
  readonly secrets: ChainSecrets;
}

/**
 * The chain's RPC credentials and sidecar tokens (generated once, 0600 files on the orchestrator), the
 * KMD bridge's viewer token and the profile's files, attached to the unit spec. The runtime puts them
 * into the volume through the created sidecar whenever a deploy starts it (never under a running unit),
 * so a unit redeployed on a fresh volume gets the same files, and no helper container is needed. Same secrets →
 * same files → same spec: a re-run leaves a running unit as it is. Nothing secret is returned to the
 * job or logged (the spec lives in memory only; its hash label hashes file contents).
 */
export function unitWithFiles(ctx: ChainJobContext, spec: ChainSpec, unit: UnitSpec): PreparedUnit {
  const { secrets, config } = ctx.deps;
  const chainSecrets = secrets.chain(spec.id, spec.identity.acName);
  const kmdToken = config.kmd ? secrets.readExternal(config.kmd.viewerTokenFile) : undefined;
  const files = [
    ...chainUnitFiles(spec, config, chainSecrets, kmdToken, unit.node),
    ...config.unitFiles.map((f) => ({ path: f.path, content: readProfileFile(f.source), mode: 0o600 })),
  ];
  const sidecarJson = files.find(
    (f) => f.path === inVolume(unitPaths(spec, config.home).sidecarConfig, config.home),
  );
  // The sidecar would refuse to start on it: better the job fails here, naming the field.
  const checked = sidecarConfigSchema.safeParse(JSON.parse(String(sidecarJson?.content ?? '')));
  if (!checked.success) {
    const issues = fieldIssues(checked.error.issues).map((i) => `${i.field || '(config)'}: ${i.reason}`);
    throw new PermanentError(`the chain sidecar's config: ${issues.join('; ')}`);
  }
  return { unit: { ...unit, files }, secrets: chainSecrets };
}

/** The `secrets` step (or part of `start` on restart and upgrade): unitWithFiles with progress. */
export async function prepareUnitFiles(
  ctx: ChainJobContext,
  spec: ChainSpec,
  unit: UnitSpec,
  step: 'secrets' | 'start' = 'secrets',
): Promise<PreparedUnit> {
  await ctx.progress.enter(step, step === 'secrets' ? 'conf files and tokens' : undefined);
  const prepared = unitWithFiles(ctx, spec, unit);
  await ctx.checkpoint('secrets ready');
  return prepared;
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

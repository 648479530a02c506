import type { ChainStatus } from '@nn/orchestrator-core';
import type { ChainJobContext } from '../context.js';
import type { StepTimings } from '../progress.js';
import { deployUnit } from '../steps/deploy-unit.js';
import { ensureImages } from '../steps/ensure-images.js';
import { ensureVolumes, lookForVolume } from '../steps/ensure-volumes.js';
import { importKey } from '../steps/import-key.js';
import { placeChain } from '../steps/place.js';
import { prepareUnitFiles } from '../steps/prepare-unit-files.js';
import { deregisterIguana, readyReason, registerIguana } from '../steps/register-iguana.js';
import { validateChain } from '../steps/validate.js';
import { waitReady } from '../steps/wait-ready.js';
import { chainUnitSpec } from '../unit/unit-spec.js';

export interface AddChainResult {
  readonly chainId: string;
  readonly unit: string;
  readonly node: string;
  readonly endpoint: string | null;
  readonly keyImported: boolean;
  readonly iguana: string;
  /** Milliseconds per step of the attempt that finished the job (the bench reports each step's share). */
  readonly stepsMs: StepTimings;
  /** Milliseconds between named points inside steps (`create/sidecar-created`, ...). */
  readonly lapsMs: StepTimings;
}

async function setStatus(
  ctx: ChainJobContext,
  status: ChainStatus,
  reason: string | null = null,
): Promise<void> {
  await ctx.deps.state.chains.mutate(ctx.chainId, (c) =>
    c.status === status && (c.statusReason ?? null) === reason ? undefined : { status, statusReason: reason },
  );
}

/**
 * chain.add: validate → place → images → volumes → secrets → create → start → wait-ready → import-key →
 * register → done. Every step looks at the world (state, runtime, sidecar) before it acts, so the job
 * can be re-run from the top after a crash at any point and ends with one unit, one volume.
 */
export async function addChain(ctx: ChainJobContext): Promise<AddChainResult> {
  const { config } = ctx.deps;
  const chain = await validateChain(ctx);
  const placement = await placeChain(ctx, chain);
  // A look only (nothing made): it runs while the status is written and the images are checked.
  const volumeSeen = lookForVolume(ctx);
  await setStatus(ctx, 'provisioning');
  const unitSpec = chainUnitSpec(chain.spec, placement, config);
  await ensureImages(ctx, placement.node, [unitSpec.daemon.image, unitSpec.sidecar.image]);
  await ensureVolumes(ctx, placement.node, volumeSeen);
  const { unit, secrets } = await prepareUnitFiles(ctx, chain.spec, unitSpec);
  await setStatus(ctx, 'starting');
  const handle = await deployUnit(ctx, unit);
  await setStatus(ctx, 'syncing');
  await waitReady(ctx, handle);
  const keyImported = await importKey(ctx, chain.spec, handle, secrets);
  const iguana = await registerIguana(ctx, chain.spec, placement, handle, secrets);
  await ctx.progress.enter('done');
  await setStatus(ctx, 'ready', readyReason(iguana));
  return {
    chainId: ctx.chainId,
    unit: ctx.unit,
    node: placement.node,
    endpoint: handle.endpoint,
    keyImported,
    iguana,
    stepsMs: ctx.progress.timings(),
    lapsMs: ctx.progress.lapTimings(),
  };
}

/**
 * Undoes what this chain.add made, after its last attempt (or a permanent failure): the unit, the volume
 * unless it existed before the job, the chain's generated secrets with it, the Iguana registration and
 * the placement this job took. The chain record stays, `failed`, with the reason, so the API can show
 * why. A chain that was already running before the job (a reconcile redeploy) keeps its unit and data.
 */
export async function rollbackAddChain(ctx: ChainJobContext, reason: string): Promise<void> {
  const { state, runtime, secrets } = ctx.deps;
  const chain = await state.chains.find(ctx.chainId);
  const existing = (await ctx.notes.get('existingChain')) === '1';
  if (!existing) {
    const keepVolume = (await ctx.notes.get('volumeExisted')) !== '0';
    if (chain && (await ctx.notes.get('registered')) === '1')
      await deregisterIguana(ctx, chain.spec).catch((err: unknown) =>
        ctx.log.warn({ err: String(err) }, 'rollback: deregister failed'),
      );
    await runtime.removeUnit(ctx.unit, { volumes: !keepVolume, timeoutSec: ctx.deps.config.stopTimeoutSec });
    if (!keepVolume) secrets.remove(ctx.chainId);
    if (chain?.placement && (await ctx.notes.get('placedByJob')) === '1')
      await state.placement.release(ctx.chainId);
  }
  if (chain)
    await state.chains.mutate(ctx.chainId, () => ({ status: 'failed', statusReason: reason.slice(0, 1000) }));
}

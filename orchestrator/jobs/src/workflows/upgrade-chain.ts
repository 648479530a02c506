import type { ImageRef } from '@nn/orchestrator-core';
import { PermanentError } from '@nn/orchestrator-core';
import { UnitNotFoundError } from '@nn/runtime';
import type { ChainJobContext } from '../context.js';
import { asJobError } from '../errors.js';
import { deployUnit } from '../steps/deploy-unit.js';
import { ensureImages } from '../steps/ensure-images.js';
import { prepareUnitFiles, unitWithFiles } from '../steps/prepare-unit-files.js';
import { type RegisterOutcome, readyReason, registerIguana } from '../steps/register-iguana.js';
import { stopUnitStep } from '../steps/stop-unit.js';
import { waitReady } from '../steps/wait-ready.js';
import { chainUnitSpec } from '../unit/unit-spec.js';
import { requirePlacement } from './restart-chain.js';

/**
 * chain.upgrade: images (the new one on the node; failing here changes nothing) → stop (stop-first: a
 * data dir must never have two daemons) → recreate with the new image → start → wait-ready (the health
 * gate) → register → done, and only then is the new image written to the chain's spec. The previous
 * image is noted once, so a re-run after a crash still knows what to roll back to. Once the old unit is
 * stopped, any failure rolls back at once to the previous image and fails the job: a notary chain is
 * not left down through retry backoffs.
 */
export async function upgradeChain(
  ctx: ChainJobContext,
  image: ImageRef,
  /**
   * Inside a whole-node upgrade: Iguana is stopped meanwhile, so the chain is not registered here (the
   * node upgrade registers every chain once Iguana is back) and the node job's `done` is its own.
   */
  opts: { readonly inNodeUpgrade?: boolean } = {},
): Promise<{ chainId: string; from: string; to: string }> {
  const { state, config } = ctx.deps;
  const chain = await state.chains.get(ctx.chainId);
  const placement = requirePlacement(ctx, chain.placement);
  const previous = await ctx.notes.setOnce('previousImage', chain.spec.image);
  await ensureImages(ctx, placement.node, [image, config.sidecarImage]);
  await state.chains.mutate(ctx.chainId, () => ({ status: 'upgrading', statusReason: null }));

  await stopUnitStep(ctx);

  let iguana: RegisterOutcome;
  try {
    const spec = chainUnitSpec(chain.spec, placement, config, image);
    const { unit, secrets } = await prepareUnitFiles(ctx, chain.spec, spec, 'start');
    const handle = await deployUnit(ctx, unit, { create: 'recreate', start: 'start' });
    await waitReady(ctx, handle);
    iguana = opts.inNodeUpgrade
      ? 'skipped'
      : await registerIguana(ctx, chain.spec, placement, handle, secrets);
  } catch (err) {
    const cause = asJobError(err).message;
    await rollbackUpgrade(ctx, previous, `upgrade to ${image} failed: ${cause}`);
    throw new PermanentError(`upgrade to ${image} failed: ${cause}; rolled back to ${previous}`);
  }
  if (!opts.inNodeUpgrade) await ctx.progress.enter('done');
  await state.chains.mutate(ctx.chainId, () => ({
    image,
    status: 'ready',
    statusReason: readyReason(iguana),
  }));
  return { chainId: ctx.chainId, from: previous, to: image };
}

/** Back to the previous image: stop, recreate, wait for readiness; the chain says what happened. */
export async function rollbackUpgrade(ctx: ChainJobContext, previous: string, reason: string): Promise<void> {
  const { state, runtime, config } = ctx.deps;
  const chain = await state.chains.get(ctx.chainId);
  const placement = requirePlacement(ctx, chain.placement);
  ctx.log.warn({ chainId: ctx.chainId, previous }, 'upgrade failed; rolling back');
  try {
    await runtime.stopUnit(ctx.unit, { timeoutSec: config.stopTimeoutSec });
  } catch (err) {
    if (!(err instanceof UnitNotFoundError)) throw err;
  }
  const { unit } = unitWithFiles(ctx, chain.spec, chainUnitSpec(chain.spec, placement, config, previous));
  const handle = await runtime.deployUnit(unit);
  // Running the previous image again: syncing until its sidecar says ready. If that takes longer than
  // the readiness bound the chain stays `syncing` (reconcile keeps its unit up), never `failed`.
  await state.chains.mutate(ctx.chainId, () => ({
    image: previous,
    status: 'syncing',
    statusReason: `${reason}; rolled back to ${previous}`.slice(0, 1000),
  }));
  try {
    await waitReady(ctx, handle);
    await state.chains.mutate(ctx.chainId, () => ({ status: 'ready' }));
  } catch (err) {
    await state.chains.mutate(ctx.chainId, () => ({
      statusReason: `${reason}; rolled back to ${previous}, not ready yet: ${asJobError(err).message}`.slice(
        0,
        1000,
      ),
    }));
  }
}

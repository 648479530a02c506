import { PermanentError, type Placement } from '@nn/orchestrator-core';
import type { UnitHandle } from '@nn/runtime';
import type { ChainJobContext } from '../context.js';
import type { ChainSecrets } from '../secrets/secret-store.js';
import { prepareUnitFiles } from '../steps/prepare-unit-files.js';
import { readyReason, registerIguana } from '../steps/register-iguana.js';
import { stopUnitStep } from '../steps/stop-unit.js';
import { waitReady } from '../steps/wait-ready.js';
import { chainUnitSpec } from '../unit/unit-spec.js';

/**
 * chain.restart: graceful stop → start (the runtime puts the conf files again, then starts the sidecar
 * and the daemon in order, recreating whatever vanished, the volume too) → wait-ready → register (a
 * no-op when Iguana has it) → done. A re-run after a crash stops again (a no-op on a stopped unit) and carries on.
 */
export async function restartChain(
  ctx: ChainJobContext,
): Promise<{ chainId: string; endpoint: string | null }> {
  const { state, runtime, config } = ctx.deps;
  const chain = await state.chains.get(ctx.chainId);
  const placement = requirePlacement(ctx, chain.placement);
  if (chain.status === 'removing') throw new PermanentError(`chain ${ctx.chainId} is being removed`);
  await state.chains.mutate(ctx.chainId, () => ({ status: 'restarting', statusReason: null }));

  // This job already restarted the unit and then waited for a dependency (Iguana): it goes on from
  // there instead of stopping a daemon that is fine again.
  const resumed =
    (await ctx.notes.get('restarted')) === '1' &&
    (await runtime.inspectUnit(ctx.unit).catch(() => undefined))?.state === 'running';
  const spec = chainUnitSpec(chain.spec, placement, config);
  let handle: UnitHandle;
  let secrets: ChainSecrets;
  if (resumed) {
    await ctx.progress.enter('start', 'restarted already: resumed after a wait');
    secrets = ctx.deps.secrets.chain(chain.spec.id, chain.spec.identity.acName);
    handle = await runtime.inspectUnit(ctx.unit);
  } else {
    await stopUnitStep(ctx);
    const prepared = await prepareUnitFiles(ctx, chain.spec, spec, 'start');
    secrets = prepared.secrets;
    handle = await runtime.deployUnit(prepared.unit);
    await ctx.notes.set('restarted', '1');
    await ctx.checkpoint('started');
  }
  await state.chains.mutate(ctx.chainId, () => ({ status: 'syncing' }));
  await waitReady(ctx, handle);
  const iguana = await registerIguana(ctx, chain.spec, placement, handle, secrets);
  await ctx.progress.enter('done');
  await state.chains.mutate(ctx.chainId, () => ({ status: 'ready', statusReason: readyReason(iguana) }));
  return { chainId: ctx.chainId, endpoint: handle.endpoint };
}

export function requirePlacement(ctx: ChainJobContext, placement: Placement | undefined): Placement {
  if (!placement) throw new PermanentError(`chain ${ctx.chainId} is not placed: add it first`);
  return placement;
}

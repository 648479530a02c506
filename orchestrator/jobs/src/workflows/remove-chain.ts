import type { ChainJobContext } from '../context.js';
import { deregisterIguana } from '../steps/register-iguana.js';
import { stopUnitStep } from '../steps/stop-unit.js';

export interface RemoveChainResult {
  readonly chainId: string;
  readonly keptData: boolean;
  readonly existed: boolean;
}

/**
 * chain.remove: deregister from Iguana → graceful stop (the unit's long timeout: komodod must flush) →
 * remove the containers → delete the data volume and the chain's secrets unless keepData → delete the
 * chain from the state (which gives back its placement) → done. Each step is a no-op when already done,
 * so a re-run after a crash finishes the removal; a chain already gone from the state still has its
 * labelled unit removed.
 */
export async function removeChain(ctx: ChainJobContext, keepData: boolean): Promise<RemoveChainResult> {
  const { state, runtime, secrets, config } = ctx.deps;
  const chain = await state.chains.find(ctx.chainId);
  if (chain && chain.status !== 'removing')
    await state.chains.mutate(ctx.chainId, () => ({ status: 'removing', statusReason: null }));

  await ctx.progress.enter('deregister');
  if (chain) await deregisterIguana(ctx, chain.spec);
  await ctx.checkpoint('deregistered');

  await stopUnitStep(ctx);

  await ctx.progress.enter('remove-unit');
  await runtime.removeUnit(ctx.unit, { timeoutSec: config.stopTimeoutSec });
  await ctx.checkpoint('unit removed');

  await ctx.progress.enter('remove-data', keepData ? 'data kept' : 'deleting the data volume');
  if (!keepData) {
    await runtime.removeUnit(ctx.unit, { volumes: true, timeoutSec: config.stopTimeoutSec });
    secrets.remove(ctx.chainId);
  }
  await ctx.checkpoint('data handled');

  await ctx.progress.enter('release');
  await state.chains.delete(ctx.chainId);
  await ctx.progress.enter('done');
  return { chainId: ctx.chainId, keptData: keepData, existed: chain !== undefined };
}

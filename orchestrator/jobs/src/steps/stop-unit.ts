import { UnitNotFoundError } from '@nn/runtime';
import type { ChainJobContext } from '../context.js';

/**
 * stop: the unit's graceful stop (the daemon's `stop` first, up to stopTimeoutSec), a no-op on a stopped
 * unit and done on one that is gone, so a re-run after a crash stops again safely.
 */
export async function stopUnitStep(ctx: ChainJobContext): Promise<void> {
  const { runtime, config } = ctx.deps;
  await ctx.progress.enter('stop', `graceful stop, up to ${config.stopTimeoutSec} s`);
  try {
    await runtime.stopUnit(ctx.unit, { timeoutSec: config.stopTimeoutSec });
  } catch (err) {
    if (!(err instanceof UnitNotFoundError)) throw err;
  }
  await ctx.checkpoint('stopped');
}

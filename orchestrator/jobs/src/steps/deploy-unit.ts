import type { DeployStep, UnitHandle, UnitSpec } from '@nn/runtime';
import type { ChainJobContext } from '../context.js';

/**
 * create + start: the runtime makes whatever of the unit is missing (sidecar, then the daemon in the
 * sidecar's namespace), with ownership labels, idempotent by name. Progress moves to `start` once the
 * sidecar runs; each runtime step is a checkpoint.
 */
export async function deployUnit(
  ctx: ChainJobContext,
  spec: UnitSpec,
  steps: { create: 'create' | 'recreate'; start: 'start' } = { create: 'create', start: 'start' },
): Promise<UnitHandle> {
  await ctx.progress.enter(steps.create, `unit ${spec.name} on ${spec.node}`);
  const handle = await ctx.deps.runtime.deployUnit(spec, {
    onStep: async (step: DeployStep) => {
      ctx.progress.lap(step);
      if (step === 'sidecar-started') await ctx.progress.enter(steps.start, `unit ${spec.name}`);
      await ctx.checkpoint(`deploy ${step}`);
    },
  });
  await ctx.progress.enter(steps.start, `unit ${spec.name} ${handle.state}`);
  return handle;
}

import { type NodeUnitsDesired, plannedNodeUnits } from '@nn/node-units';
import { PermanentError } from '@nn/orchestrator-core';
import { type UnitHandle, UnitNotFoundError, type UnitSpec } from '@nn/runtime';
import type { ChainJobContext } from '../../context.js';
import { asJobError } from '../../errors.js';
import { deployUnit } from '../../steps/deploy-unit.js';
import { ensureImages } from '../../steps/ensure-images.js';
import { stopUnitStep } from '../../steps/stop-unit.js';
import { waitReady } from '../../steps/wait-ready.js';
import { readDesiredUnits } from './plan-from-state.js';

// One of the node's own units moved to another image, as chain.upgrade moves a chain: stop first,
// recreate, wait until its sidecar says ready (RPC answering and synced), and only then is the new image
// written to the node units' desired state, so the reconcile brings back the new image from then on and
// the old one before. Any failure once the old unit is stopped rolls back at once to the previous image.

export type NodeUnitRole = 'destination' | 'main' | 'iguana';

const IMAGE_KEY = { destination: 'ltcDaemon', main: 'kmdDaemon', iguana: 'iguanaDaemon' } as const;

export const imageOfRole = (desired: NodeUnitsDesired, role: NodeUnitRole): string =>
  desired.layout.images[IMAGE_KEY[role]];

/** The desired state with one role's daemon image replaced. */
export function withImage(desired: NodeUnitsDesired, role: NodeUnitRole, image: string): NodeUnitsDesired {
  return {
    ...desired,
    layout: { ...desired.layout, images: { ...desired.layout.images, [IMAGE_KEY[role]]: image } },
  };
}

/** The role's unit spec as the reconcile would deploy it from `desired` (same spec, same hash). */
export function specOf(desired: NodeUnitsDesired, role: NodeUnitRole): UnitSpec {
  const unit = plannedNodeUnits(desired).find((u) => u.role === role);
  if (!unit) throw new PermanentError(`the node units have no ${role} unit`);
  return unit.spec;
}

export async function requireDesired(ctx: ChainJobContext): Promise<NodeUnitsDesired> {
  const desired = await readDesiredUnits(ctx.deps.state);
  if (!desired)
    throw new PermanentError('the node units are no longer recorded (nnctl down?): nothing to upgrade');
  return desired;
}

/** Writes one role's image into the stored desired state (under the node units' lease: no other writer). */
export async function recordImage(ctx: ChainJobContext, role: NodeUnitRole, image: string): Promise<void> {
  const desired = await requireDesired(ctx);
  if (imageOfRole(desired, role) === image) return;
  await ctx.deps.state.nodeUnits.putDesired({ ...withImage(desired, role, image) });
  await ctx.checkpoint('desired image written');
}

export async function isRunning(ctx: ChainJobContext): Promise<boolean> {
  try {
    return (await ctx.deps.runtime.inspectUnit(ctx.unit)).state === 'running';
  } catch (err) {
    if (err instanceof UnitNotFoundError) return false;
    throw err;
  }
}

/**
 * destination or main: images → stop → recreate → start → wait-ready → the desired image written.
 * Done already (a re-run after a crash past the write) when the desired state has `to` and the unit runs.
 */
export async function upgradeNodeDaemon(
  ctx: ChainJobContext,
  role: 'destination' | 'main',
  from: string,
  to: string,
): Promise<'upgraded' | 'already'> {
  const desired = await requireDesired(ctx);
  if (imageOfRole(desired, role) === to && (await isRunning(ctx))) return 'already';
  await ensureImages(ctx, desired.layout.node, [to, desired.layout.images.chainSidecar]);
  await stopUnitStep(ctx);
  try {
    const handle = await deployUnit(ctx, specOf(withImage(desired, role, to), role), {
      create: 'recreate',
      start: 'start',
    });
    await waitReady(ctx, handle);
  } catch (err) {
    const cause = asJobError(err).message;
    await rollbackNodeUnit(ctx, withImage(desired, role, from), role);
    throw new PermanentError(
      `${role} (${ctx.unit}): upgrade to ${to} failed: ${cause}; rolled back to ${from}`,
    );
  }
  await recordImage(ctx, role, to);
  return 'upgraded';
}

/**
 * Back to `desired` (the previous image): stop, deploy, wait for readiness. A unit that does not get
 * ready on its old image either is left running for the reconcile (which owns it again once the
 * lease goes); the job's error says so.
 */
export async function rollbackNodeUnit(
  ctx: ChainJobContext,
  desired: NodeUnitsDesired,
  role: NodeUnitRole,
): Promise<UnitHandle | undefined> {
  ctx.log.warn(
    { unit: ctx.unit, role, image: imageOfRole(desired, role) },
    'node unit upgrade failed; rolling back',
  );
  try {
    await ctx.deps.runtime.stopUnit(ctx.unit, { timeoutSec: ctx.deps.config.stopTimeoutSec });
  } catch (err) {
    if (!(err instanceof UnitNotFoundError)) throw err;
  }
  const handle = await ctx.deps.runtime.deployUnit(specOf(desired, role));
  await ctx.checkpoint('rolled back');
  try {
    await waitReady(ctx, handle);
  } catch (err) {
    ctx.log.warn({ unit: ctx.unit, err: asJobError(err).message }, 'rolled back unit not ready yet');
  }
  return handle;
}

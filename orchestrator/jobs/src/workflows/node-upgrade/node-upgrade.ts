import {
  type ImageRef,
  type NodeUpgradeImages,
  type NodeUpgradePlan,
  nodeUpgradePlanSchema,
  PermanentError,
  type PlannedDaemon,
} from '@nn/orchestrator-core';
import { UnitNotFoundError } from '@nn/runtime';
import { asJobError } from '../../errors.js';
import { unitNameOf } from '../../unit/unit-name.js';
import { upgradeChain } from '../upgrade-chain.js';
import { type NodeJobRun, unitContext, withChainLease } from './node-context.js';
import { registerChains, startIguana, unlockStaleUtxos } from './node-iguana.js';
import { ensurePlanImages, nodeUpgradePlanOf } from './plan-from-state.js';
import { upgradeNodeDaemon } from './upgrade-node-unit.js';

// node.upgrade, in the order of the dPoW update notes: preflight (the plan noted once, every image on
// its node, nothing changed yet) → stop Iguana → each daemon one at a time (stop first, health-gated,
// rolled back on failure: destination, main, then the assetchains) → unlock the UTXOs the old Iguana
// left locked → Iguana last (its new image, or its own again: it restarts after any daemon restart),
// its sidecar running the start-up sequence → every chain registered again → done.
// A daemon that fails and is rolled back ends the order there: Iguana is started again on the image it
// had, the chains registered, and the job fails naming what was upgraded and what was rolled back.

export interface NodeUpgradeResult {
  readonly upgraded: string[];
  /** Done by an earlier run of this job (a crash after the unit was upgraded). */
  readonly already: string[];
  readonly unchanged: string[];
  readonly skipped: NodeUpgradePlan['skipped'];
  readonly iguana: { readonly from: string; readonly to: string } | null;
  readonly unlocked: number;
  readonly registered: number;
  /** Chains Iguana had not registered yet when the job ended (its sidecar keeps retrying them). */
  readonly notRegistered: string[];
}

/** The order stopped at a daemon that was rolled back; its message names the daemon (no step prefix). */
export class NodeUpgradeStopped extends PermanentError {}

export async function nodeUpgrade(run: NodeJobRun, images: NodeUpgradeImages): Promise<NodeUpgradeResult> {
  const plan = await preflight(run, images);
  if (plan.iguana) await stopIguana(run, plan.iguana.unit);
  const upgraded: string[] = [];
  const already: string[] = [];
  let failure: PermanentError | undefined;
  for (const d of plan.daemons) {
    try {
      ((await upgradeDaemon(run, d)) === 'already' ? already : upgraded).push(d.target);
    } catch (err) {
      const e = asJobError(err);
      // Transient (before the unit was stopped): the job is retried from the top and finds its work.
      if (e.retryable || !(e instanceof PermanentError)) throw e;
      failure = e;
      break;
    }
  }
  let unlocked = 0;
  let registered = 0;
  let notRegistered: string[] = [];
  if (plan.iguana) {
    unlocked = await unlockStaleUtxos(run, plan);
    // After a rolled-back daemon Iguana comes back on the image it had: the order stopped before it.
    await startIguana(run, plan.iguana, failure ? plan.iguana.from : plan.iguana.to);
    ({ registered, pending: notRegistered } = await registerChains(run));
  }
  if (failure) {
    const done = [...already, ...upgraded];
    throw new NodeUpgradeStopped(
      `${failure.message}; upgraded before it: ${done.length > 0 ? done.join(', ') : 'none'}${plan.iguana ? `; Iguana started again on ${plan.iguana.from}` : ''}`,
    );
  }
  await run.progress.enter('done', `${upgraded.length + already.length} daemon(s) upgraded`);
  return {
    upgraded,
    already,
    unchanged: plan.unchanged,
    skipped: plan.skipped,
    iguana: plan.iguana ? { from: plan.iguana.from, to: plan.iguana.to } : null,
    unlocked,
    registered,
    notRegistered,
  };
}

/**
 * preflight: the plan, made once and noted before any change (a re-run after a crash runs the noted
 * plan: the state then holds some new images already, and the previous ones are only in the note),
 * and every image of it on its node. A missing image fails the job here, with nothing changed.
 */
async function preflight(run: NodeJobRun, images: NodeUpgradeImages): Promise<NodeUpgradePlan> {
  const { deps, progress, notes } = run;
  await progress.enter('preflight', 'plan and images');
  const noted = await notes.get('nodeUpgradePlan');
  const plan = noted
    ? nodeUpgradePlanSchema.parse(JSON.parse(noted))
    : await nodeUpgradePlanOf(deps.state, images, (id) => unitNameOf(deps.config.unitPrefix, id));
  const ctx = unitContext(run, plan.iguana?.unit ?? 'node');
  await ensurePlanImages(deps.runtime, plan, (image) => ctx.checkpoint(`image ${image}`));
  const kept = await notes.setOnce('nodeUpgradePlan', JSON.stringify(plan));
  await ctx.checkpoint('plan noted');
  return nodeUpgradePlanSchema.parse(JSON.parse(kept));
}

/** stop-iguana: graceful, a no-op on a stopped unit; the reconcile leaves it so (the lease is ours). */
async function stopIguana(run: NodeJobRun, unit: string): Promise<void> {
  const ctx = unitContext(run, unit);
  await run.progress.enter('stop-iguana', `graceful stop of ${unit}`);
  try {
    await run.deps.runtime.stopUnit(unit, { timeoutSec: run.deps.config.stopTimeoutSec });
  } catch (err) {
    if (!(err instanceof UnitNotFoundError)) throw err;
  }
  await ctx.checkpoint('stopped');
}

async function upgradeDaemon(run: NodeJobRun, d: PlannedDaemon): Promise<'upgraded' | 'already'> {
  if (d.kind === 'node-unit') {
    if (d.target !== 'destination' && d.target !== 'main')
      throw new PermanentError(`${d.target}: not a node daemon of the plan`);
    if (!d.unit) throw new PermanentError(`${d.target}: the plan names no unit`);
    return upgradeNodeDaemon(unitContext(run, d.unit), d.target, d.from, d.to);
  }
  const chainId = d.target.slice('chain:'.length);
  return withChainLease(run, chainId, async (ctx) => {
    const chain = await ctx.deps.state.chains.find(ctx.chainId);
    if (!chain) throw new PermanentError(`${d.target}: the chain was removed during the upgrade`);
    if (chain.spec.image === d.to && chain.status === 'ready') return 'already';
    await upgradeChain(ctx, d.to as ImageRef, { inNodeUpgrade: true });
    return 'upgraded';
  });
}

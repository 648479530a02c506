import type { Network } from '@nn/networks';
import { defaultChainResources, profileOf } from '@nn/node-units';
import { buildChainSpec, type ChainId, ConflictError, PermanentError } from '@nn/orchestrator-core';
import type { JobsDeps } from '../../context.js';
import { seasonChainJobId } from '../../job-ids.js';
import type { JobQueue } from '../../queues.js';
import type { SeasonPlan } from './plan-season.js';

// The season's chain steps, each done through the chain's own job (chain.remove, chain.add,
// chain.upgrade: their leases, retries, rollbacks and crash safety), queued with ids made from the
// season job's so that a season step run again after a crash queues nothing twice. A step is done when
// the desired state shows it done; a chain job that failed for good fails the season with its reason.

export interface SeasonStepRun {
  readonly deps: JobsDeps;
  readonly queue: JobQueue;
  readonly seasonJobId: string;
  readonly requestedBy: string;
  /** A named point for the crash tests' hooks (StepHooks); production passes none. */
  checkpoint(point: string): Promise<void>;
}

/** What one step found: chains still being worked on (the season waits), or done. */
export interface StepState {
  readonly waiting: readonly string[];
}

async function failedReason(run: SeasonStepRun, jobId: string): Promise<string | undefined> {
  const view = await run.queue.readJob(jobId);
  if (view?.state === 'failed') return view.error?.message ?? 'failed';
  return undefined;
}

async function completed(run: SeasonStepRun, jobId: string): Promise<boolean> {
  return (await run.queue.readJob(jobId))?.state === 'completed';
}

/** Removed chains: chain.remove each (data kept when asked) until the state has none of them. */
export async function removeStep(
  run: SeasonStepRun,
  plan: SeasonPlan,
  keepData: boolean,
): Promise<StepState> {
  const waiting: string[] = [];
  for (const { id } of plan.remove) {
    const jobId = seasonChainJobId('remove', id, run.seasonJobId);
    if ((await run.deps.state.chains.find(id)) === undefined || (await completed(run, jobId))) continue;
    const failed = await failedReason(run, jobId);
    if (failed) throw new PermanentError(`chain.remove of ${id} failed: ${failed}`);
    await run.queue.addSeasonChainJob('remove', id as ChainId, run.seasonJobId, {
      keepData,
      requestedBy: run.requestedBy,
    });
    waiting.push(id);
  }
  return { waiting };
}

/** Added chains: the chain's record (requested), then chain.add, until each is ready. */
export async function addStep(run: SeasonStepRun, plan: SeasonPlan, network: Network): Promise<StepState> {
  const waiting: string[] = [];
  const { state } = run.deps;
  for (const { id } of plan.add) {
    const jobId = seasonChainJobId('add', id, run.seasonJobId);
    const chain = await state.chains.find(id);
    if (chain?.status === 'ready' || (chain && (await completed(run, jobId)))) continue;
    const failed = await failedReason(run, jobId);
    if (failed) throw new PermanentError(`chain.add of ${id} failed: ${failed}`);
    if (!chain) await createChain(run, plan, network, id);
    await run.queue.addSeasonChainJob('add', id as ChainId, run.seasonJobId, {
      requestedBy: run.requestedBy,
    });
    waiting.push(id);
  }
  return { waiting };
}

/** The added chain's record, as `nnctl up` would import it: the season's image and reservations. */
async function createChain(run: SeasonStepRun, plan: SeasonPlan, network: Network, id: string) {
  const image = plan.chainImage;
  const profile = profileOf({ network, file: 'season', shipped: false }, { standIns: plan.standIns });
  const resources = defaultChainResources(profile);
  const spec = network.assetchains.entries
    .map((entry) => buildChainSpec({ entry, image, ...(resources ? { resources } : {}) }, { image }))
    .find((s) => s.id === id);
  if (!spec) throw new PermanentError(`the season's network file has no chain ${id} any more`);
  try {
    await run.deps.state.chains.create(spec);
  } catch (err) {
    // A record made by this step's earlier run (crash after the write) is the one wanted.
    if (!(err instanceof ConflictError && (await run.deps.state.chains.find(id)))) throw err;
  }
}

/** Chains on the season's image: chain.upgrade each (stop-first, health-gated, rolled back). */
export async function upgradeStep(run: SeasonStepRun, plan: SeasonPlan): Promise<StepState> {
  const waiting: string[] = [];
  for (const { id, to } of plan.upgrade) {
    const jobId = seasonChainJobId('upgrade', id, run.seasonJobId);
    const chain = await run.deps.state.chains.find(id);
    if (!chain) throw new PermanentError(`chain ${id} is gone from the desired state: it cannot be upgraded`);
    if ((chain.spec.image === to && chain.status === 'ready') || (await completed(run, jobId))) continue;
    const failed = await failedReason(run, jobId);
    if (failed) throw new PermanentError(`chain.upgrade of ${id} to ${to} failed: ${failed}`);
    await run.queue.addSeasonChainJob('upgrade', id as ChainId, run.seasonJobId, {
      image: to,
      requestedBy: run.requestedBy,
    });
    waiting.push(id);
  }
  return { waiting };
}

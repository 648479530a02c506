import { parseNodeUnitsDesired } from '@nn/node-units';
import { JOB_NAMES, type JobDataMap, parseJobData, ValidationError } from '@nn/orchestrator-core';
import type { StateStore } from '@nn/orchestrator-state';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { JobsDeps } from '../../context.js';
import { asJobError } from '../../errors.js';
import { JobNotes } from '../../job-notes.js';
import { StepProgress } from '../../progress.js';
import type { JobQueue } from '../../queues.js';
import { parseSeasonNetwork, planSeason, type SeasonPlan } from './plan-season.js';
import { addStep, removeStep, type SeasonStepRun, type StepState, upgradeStep } from './season-chains.js';
import { iguanaStep, registerStep } from './season-iguana.js';
import { ensureSeasonImages } from './season-images.js';

// season.apply: validate → remove → add → upgrade → iguana → register → done. The plan is computed
// once, on the job's first run, and kept in the job's notes: after the first removals the desired
// state no longer shows what the season removes, and a fresh worker after a crash must carry out the
// same plan. Each step queues the chains' own jobs and the season job waits for them delayed (its
// worker slot free for them, no attempt used), coming back every readyPollMs to look again.

export interface SeasonResult {
  readonly network: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly upgraded: readonly string[];
  readonly iguana: readonly string[];
  readonly iguanaRestarted: boolean;
  readonly keptData: boolean;
}

/**
 * The plan of a season as things stand: what the API shows and checks before it queues the job, and
 * what the job's first run freezes. `pubkey`: the node's notary key (the jobs config's).
 */
export async function currentSeasonPlan(
  state: StateStore,
  network: unknown,
  pubkey: string | undefined,
): Promise<SeasonPlan> {
  const nodes = await state.nodes.list();
  const reserved = new Set<number>();
  for (const node of nodes) for (const port of node.capacity.reservedPorts) reserved.add(port);
  const doc = await state.nodeUnits.getDesired();
  return planSeason({
    network,
    chains: await state.chains.list(),
    nodeUnits: doc === undefined ? undefined : parseNodeUnitsDesired(doc),
    pubkey,
    reservedPorts: reserved,
    p2pRanges: nodes.filter((n) => n.schedulable).map((n) => n.capacity.p2pPorts),
  });
}

async function frozenPlan(deps: JobsDeps, notes: JobNotes, network: unknown): Promise<SeasonPlan> {
  const kept = await notes.get('seasonPlan');
  if (kept !== undefined) return JSON.parse(kept) as SeasonPlan;
  let plan: SeasonPlan;
  try {
    plan = await currentSeasonPlan(deps.state, network, deps.config.notary?.pubkey);
    await ensureSeasonImages(deps.runtime, deps.state, plan);
  } catch (err) {
    // The desired state changed between the API's check and this job: nothing has been done yet.
    if (err instanceof ValidationError) throw new UnrecoverableError(`validate: ${err.message}`);
    throw err;
  }
  return JSON.parse(await notes.setOnce('seasonPlan', JSON.stringify(plan))) as SeasonPlan;
}

type StepName = 'remove' | 'add' | 'upgrade' | 'iguana' | 'register';

/** Runs the season job until it is done, or until a step waits (then the job goes back to delayed). */
export async function applySeasonJob(
  deps: JobsDeps,
  queue: JobQueue,
  job: Job,
  token: string | undefined,
): Promise<SeasonResult> {
  const data = parseJobData(JOB_NAMES.seasonApply, job.data) as JobDataMap['season.apply'];
  const jobId = job.id ?? 'unknown';
  const log = deps.log.child({ jobId, job: JOB_NAMES.seasonApply });
  const progress = new StepProgress(job, JOB_NAMES.seasonApply, log);
  const notes = JobNotes.for(deps.redis, deps.state.keys.prefix, deps.config.queueName, jobId);
  await progress.enter('validate');
  const network = parseSeasonNetwork(data.network);
  const run: SeasonStepRun = {
    deps,
    queue,
    seasonJobId: jobId,
    requestedBy: data.requestedBy ?? 'season',
    checkpoint: async (point) => {
      await deps.hooks?.at?.({ job: JOB_NAMES.seasonApply, step: progress.step ?? '', point, chainId: '' });
    },
  };
  const plan = await frozenPlan(deps, notes, data.network);
  await run.checkpoint('season-plan-frozen');
  const steps: ReadonlyArray<[StepName, () => Promise<StepState>]> = [
    ['remove', () => removeStep(run, plan, data.keepData)],
    ['add', () => addStep(run, plan, network)],
    ['upgrade', () => upgradeStep(run, plan)],
    ['iguana', () => iguanaStep(run, plan, notes)],
    ['register', () => registerStep(run, notes)],
  ];
  for (const [name, step] of steps) {
    await progress.enter(name);
    let state: StepState;
    try {
      state = await step();
      await run.checkpoint('season-checked');
    } catch (err) {
      const e = asJobError(err);
      throw e.retryable ? e : new UnrecoverableError(`${name}: ${e.message}`);
    }
    if (state.waiting.length === 0) continue;
    await progress.enter(name, `waiting for ${state.waiting.join(', ')}`);
    if (token === undefined) throw new Error(`${name}: waiting for ${state.waiting.join(', ')}`);
    await job.moveToDelayed(Date.now() + deps.config.readyPollMs, token);
    throw new DelayedError();
  }
  await progress.enter('done');
  return {
    network: plan.network,
    added: plan.add.map((c) => c.id),
    removed: plan.remove.map((c) => c.id),
    upgraded: plan.upgrade.map((c) => c.id),
    iguana: plan.iguana.map((c) => c.field),
    iguanaRestarted: (await notes.get('seasonIguanaRestarted')) === '1',
    keptData: data.keepData,
  };
}

import { setMaxListeners } from 'node:events';
import {
  type ChainId,
  DependencyDownError,
  dependencyBackoffMs,
  errorDisposition,
  JOB_NAMES,
  type JobDataMap,
  type JobName,
  parseJobData,
  TransientError,
} from '@nn/orchestrator-core';
import { type ConnectionOptions, DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { ChainJobContext, JobsDeps } from './context.js';
import { asJobError, WaitForDependency } from './errors.js';
import { JobNotes } from './job-notes.js';
import { StepProgress } from './progress.js';
import type { JobQueue } from './queues.js';
import { nodeSecretValues, scrubSecrets } from './secrets/scrub.js';
import { unitNameOf } from './unit/unit-name.js';
import { addChain, rollbackAddChain } from './workflows/add-chain.js';
import { consolidate } from './workflows/consolidate.js';
import { drainNode } from './workflows/drain-node.js';
import { moveChain } from './workflows/move-chain.js';
import { processNodeUpgrade } from './workflows/node-upgrade/run-node-upgrade.js';
import {
  processNodeConsolidate,
  processNodeWalletReset,
} from './workflows/node-wallet-reset/run-node-wallet-reset.js';
import { reconcileChain, sweep } from './workflows/reconcile.js';
import { removeChain } from './workflows/remove-chain.js';
import { restartChain } from './workflows/restart-chain.js';
import { applySeasonJob } from './workflows/season/apply-season.js';
import { upgradeChain } from './workflows/upgrade-chain.js';
import { walletReset } from './workflows/wallet-reset.js';

const NAMES: readonly string[] = Object.values(JOB_NAMES);
const isJobName = (name: string): name is JobName => NAMES.includes(name);

export interface JobsWorkerOptions {
  readonly connection: ConnectionOptions;
  /** Start taking jobs at once (default true). */
  readonly autorun?: boolean;
}

/**
 * The consumer: one BullMQ worker running every job kind. A killed worker's active job is taken over
 * by another worker once its lock expires (stalled-job detection), and runs again from the top; its
 * steps find their work done and move on.
 */
export function createJobsWorker(deps: JobsDeps, queue: JobQueue, options: JobsWorkerOptions): Worker {
  const { config } = deps;
  const worker = new Worker(config.queueName, (job, token) => processJob(deps, queue, job, token), {
    connection: options.connection,
    prefix: config.queuePrefix,
    concurrency: config.concurrency,
    lockDuration: config.lockDurationMs,
    stalledInterval: config.stalledIntervalMs,
    maxStalledCount: config.maxStalledCount,
    autorun: options.autorun ?? true,
  });
  worker.on('failed', (job, err) =>
    deps.log.warn({ jobId: job?.id, job: job?.name, reason: err.message }, 'job attempt failed'),
  );
  worker.on('error', (err) => deps.log.error({ err: err.message }, 'worker error'));
  return worker;
}

/** Runs one job: validates its data, takes the chain's lease, runs the workflow, rolls back when final. */
export async function processJob(
  deps: JobsDeps,
  queue: JobQueue,
  job: Job,
  token?: string,
): Promise<unknown> {
  const name = job.name;
  if (!isJobName(name)) throw new UnrecoverableError(`unknown job ${name}`);
  let data: JobDataMap[JobName];
  try {
    data = parseJobData(name, job.data);
  } catch (err) {
    throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
  }
  // A season change is node-wide: its steps queue the chains' own jobs, each under its chain's lease.
  if (name === JOB_NAMES.seasonApply) return applySeasonJob(deps, queue, job, token);
  // A whole-node upgrade is the node's: under the node units' lease, each chain's step under its own.
  if (name === JOB_NAMES.nodeUpgrade)
    return processNodeUpgrade(deps, job, data as JobDataMap['node.upgrade'], token);
  // The main chain's wallet reset is the node's too: its units' lease, Iguana stopped and started.
  if (name === JOB_NAMES.nodeWalletReset)
    return processNodeWalletReset(deps, job, data as JobDataMap['node.wallet-reset'], token);
  if (name === JOB_NAMES.nodeConsolidate)
    return processNodeConsolidate(deps, job, data as JobDataMap['node.consolidate'], token);
  // A drain is the node's: it cordons and queues one chain.move per chain, each under its chain's lease.
  if (name === JOB_NAMES.nodeDrain) return drainNode(deps, queue, job, data as JobDataMap['node.drain']);
  const chainId = (data as { chainId?: ChainId }).chainId;
  if (name === JOB_NAMES.reconcile && chainId === undefined)
    return sweep(deps, (id) => unitNameOf(deps.config.unitPrefix, id), queue);
  if (chainId === undefined) throw new UnrecoverableError(`${name} needs a chainId`);
  const jobId = job.id ?? 'unknown';
  let started = false;
  try {
    return await deps.state.leases.withLease(
      chainId,
      { ttlMs: deps.config.leaseTtlMs, owner: `job-${jobId}` },
      async (_lease, signal) => {
        started = true;
        await deps.state.pending.clear(chainId, jobId);
        const ctx = chainContext(deps, queue, job, name, chainId, signal);
        const result = await runChainJob(ctx, job, name, data);
        ctx.log.info({ result }, 'job done');
        if (isSettled(name, result)) await deps.state.repairs.clear({ chain: chainId });
        return result;
      },
    );
  } catch (err) {
    // A dependency is down: back to delayed without using an attempt, still the chain's pending job
    // (so reconcile queues nothing beside it), nothing rolled back.
    if (err instanceof WaitForDependency && token !== undefined) {
      await deps.state.pending.mark(chainId, jobId, err.delayMs + 3_600_000).catch(() => undefined);
      await job.moveToDelayed(Date.now() + err.delayMs, token);
      throw new DelayedError();
    }
    // Another job works on the chain: wait without using an attempt (at most one active per chain).
    if (!started && err instanceof TransientError && token !== undefined) {
      await job.moveToDelayed(Date.now() + deps.config.busyDelayMs, token);
      throw new DelayedError();
    }
    throw err;
  }
}

/** Whether a finished job settles the chain (its repair record goes): any but a reconcile that queued a repair. */
function isSettled(name: JobName, result: unknown): boolean {
  if (name !== JOB_NAMES.reconcile) return true;
  const action = (result as { action?: unknown } | undefined)?.action;
  return action === 'none' || action === 'register';
}

function chainContext(
  deps: JobsDeps,
  queue: JobQueue,
  job: Job,
  name: JobName,
  chainId: ChainId,
  signal: AbortSignal,
): ChainJobContext {
  const jobId = job.id ?? 'unknown';
  // Each request of a long readiness wait links its time-out to this signal (AbortSignal.any).
  setMaxListeners(1000, signal);
  const log = deps.log.child({ jobId, job: name, chainId });
  const progress = new StepProgress(job, name, log);
  return {
    deps,
    job: { id: jobId, name },
    chainId,
    unit: unitNameOf(deps.config.unitPrefix, chainId),
    progress,
    notes: JobNotes.for(deps.redis, deps.state.keys.prefix, deps.config.queueName, jobId),
    signal,
    log,
    enqueue: queue,
    async checkpoint(point: string) {
      await deps.hooks?.at?.({ job: name, step: progress.step ?? '', point, chainId });
      signal.throwIfAborted();
    },
  };
}

async function runChainJob(ctx: ChainJobContext, job: Job, name: JobName, data: JobDataMap[JobName]) {
  try {
    switch (name) {
      case 'chain.add':
        return await addChain(ctx);
      case 'chain.remove':
        return await removeChain(ctx, (data as JobDataMap['chain.remove']).keepData);
      case 'chain.restart':
        return await restartChain(ctx);
      case 'chain.upgrade':
        return await upgradeChain(ctx, (data as JobDataMap['chain.upgrade']).image);
      case 'chain.wallet-reset':
        return await walletReset(ctx);
      case 'chain.consolidate':
        return await consolidate(ctx);
      case 'reconcile':
        return await reconcileChain(ctx);
      case 'chain.move':
        return await moveChain(ctx, data as JobDataMap['chain.move']);
      case 'node.drain':
        throw new UnrecoverableError('node.drain is not a chain job');
      case 'node.upgrade':
        throw new UnrecoverableError('node.upgrade is not a chain job');
      case 'season.apply':
        throw new UnrecoverableError('season.apply is not a chain job');
    }
  } catch (err) {
    throw await settleFailure(ctx, job, name, err);
  }
}

/**
 * Turns a failed attempt into BullMQ's outcome. Retryable and not the last attempt: rethrown, and BullMQ
 * retries with backoff. Otherwise the job's rollback runs (chain.add) and the job fails for good with a
 * reason naming the step, scrubbed of every secret the job could have seen.
 */
async function settleFailure(ctx: ChainJobContext, job: Job, name: JobName, err: unknown): Promise<Error> {
  const e = asJobError(err);
  const secrets = knownSecrets(ctx);
  const step = ctx.progress.step ?? 'start';
  const reason = scrubSecrets(`${step}: ${e.message}`, secrets);
  const wait = await dependencyWait(ctx, name, e, reason);
  if (wait) return wait;
  const last = !e.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  ctx.log.warn({ step, code: e.code, last, attemptsMade: job.attemptsMade, reason }, 'job step failed');
  const { config } = ctx.deps;
  const tries = await ctx.deps.state.repairs.get({ chain: ctx.chainId }).catch(() => undefined);
  // Not the last attempt: BullMQ's exponential backoff. The last: the sweep's slow retry of failed chains.
  const nextMs = last
    ? dependencyBackoffMs((tries?.attempts ?? 0) + 1, config.failedRetryMs, config.failedRetryMaxMs)
    : config.backoffMs * 2 ** job.attemptsMade;
  if (name !== JOB_NAMES.reconcile)
    await ctx.deps.state.repairs
      .failed(
        { chain: ctx.chainId },
        { lastError: reason, action: name, nextRetryAt: new Date(Date.now() + nextMs) },
      )
      .catch(() => undefined);
  if (!last) return new Error(reason);
  let final = reason;
  if (name === 'chain.add') {
    try {
      await rollbackAddChain(ctx, reason);
    } catch (rollbackErr) {
      const why = scrubSecrets(asJobError(rollbackErr).message, secrets);
      ctx.log.error({ reason: why }, 'rollback incomplete');
      final = `${reason}; rollback incomplete: ${why}`;
    }
  }
  return new UnrecoverableError(final);
}

/**
 * A dependency that is down (errorDisposition 'wait'): the chain's repair record says so and when the
 * next try is, and the job waits a capped backoff. After dependencyWaitMaxMs of waiting the error counts
 * as any transient one. Undefined when the error is not a wait.
 */
async function dependencyWait(
  ctx: ChainJobContext,
  name: JobName,
  e: Error,
  reason: string,
): Promise<WaitForDependency | undefined> {
  if (errorDisposition(e) !== 'wait' || !(e instanceof DependencyDownError)) return undefined;
  const { config, state } = ctx.deps;
  const before = await state.repairs.get({ chain: ctx.chainId }).catch(() => undefined);
  if (before && Date.now() - Date.parse(before.since) > config.dependencyWaitMaxMs) return undefined;
  const delayMs = dependencyBackoffMs(
    (before?.attempts ?? 0) + 1,
    config.backoffMs,
    config.dependencyMaxDelayMs,
  );
  await state.repairs
    .failed(
      { chain: ctx.chainId },
      {
        lastError: reason,
        action: name,
        waitingFor: e.dependency,
        nextRetryAt: new Date(Date.now() + delayMs),
      },
    )
    .catch(() => undefined);
  ctx.log.warn({ reason, dependency: e.dependency, delayMs }, 'dependency down: waiting');
  return new WaitForDependency(reason, delayMs);
}

function knownSecrets(ctx: ChainJobContext): string[] {
  return [...ctx.deps.secrets.known(ctx.chainId), ...nodeSecretValues(ctx.deps)];
}

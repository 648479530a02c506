import { randomBytes } from 'node:crypto';
import {
  type ChainId,
  type ImageRef,
  JOB_NAMES,
  type JobDataMap,
  type JobName,
  parseJobData,
} from '@nn/orchestrator-core';
import type { StateStore } from '@nn/orchestrator-state';
import { type ConnectionOptions, type JobsOptions, type JobType, Queue } from 'bullmq';
import type { JobsConfig } from './config.js';
import type { Enqueuer, SweepEnqueuer } from './context.js';
import { type JobView, readJob } from './job-status.js';

const DAY_SEC = 86_400;
/** A pending marker outlives any sane queue wait; the worker clears it when the job starts. */
const PENDING_TTL_MS = 3_600_000;
export const SWEEP_SCHEDULER_ID = 'reconcile-sweep';
/** Job states from which a job may still run ('waiting' includes a paused queue's jobs). */
const UNFINISHED: JobType[] = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'];
/** Jobs that settle a `requested` chain: its chain.add (whoever queued it), or a removal. */
const SETTLING: readonly string[] = [JOB_NAMES.chainAdd, JOB_NAMES.chainRemove];

/** A job id safe for BullMQ (no ':') and for pending markers. */
function jobIdFor(kind: string, chainId: string): string {
  return `${kind}-${chainId}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * The producer side: every job is validated against core's jobDataSchemas before it is queued (ids and
 * references only, strict), with the configured attempts and exponential backoff.
 */
export class JobQueue implements Enqueuer, SweepEnqueuer {
  readonly queue: Queue;

  constructor(
    connection: ConnectionOptions,
    private readonly config: JobsConfig,
    private readonly state: StateStore,
  ) {
    this.queue = new Queue(config.queueName, { connection, prefix: config.queuePrefix });
  }

  private async add<N extends JobName>(
    name: N,
    data: JobDataMap[N],
    opts: JobsOptions = {},
  ): Promise<string> {
    const parsed = parseJobData(name, data);
    const job = await this.queue.add(name, parsed, {
      attempts: this.config.attempts,
      backoff: { type: 'exponential', delay: this.config.backoffMs },
      removeOnComplete: { age: 7 * DAY_SEC, count: 1000 },
      removeOnFail: { age: 30 * DAY_SEC, count: 5000 },
      ...opts,
    });
    if (job.id === undefined) throw new Error(`BullMQ gave ${name} no id`);
    return job.id;
  }

  /** chain.add for a chain already created in the state (status requested). */
  addChain(chainId: ChainId, requestedBy?: string): Promise<string> {
    return this.add(JOB_NAMES.chainAdd, { chainId, ...(requestedBy ? { requestedBy } : {}) });
  }

  removeChain(chainId: ChainId, opts: { keepData: boolean; requestedBy?: string }): Promise<string> {
    return this.add(JOB_NAMES.chainRemove, {
      chainId,
      keepData: opts.keepData,
      ...(opts.requestedBy ? { requestedBy: opts.requestedBy } : {}),
    });
  }

  restartChain(chainId: ChainId, opts: { reason?: string; requestedBy?: string } = {}): Promise<string> {
    return this.add(JOB_NAMES.chainRestart, { chainId, ...opts });
  }

  upgradeChain(chainId: ChainId, image: ImageRef, requestedBy?: string): Promise<string> {
    return this.add(JOB_NAMES.chainUpgrade, { chainId, image, ...(requestedBy ? { requestedBy } : {}) });
  }

  /**
   * Asks for a reconcile of one chain unless one of its jobs is already pending (one active plus one
   * pending per chain). Returns the new job's id, or undefined when one was pending.
   */
  async requestReconcile(
    chainId: ChainId,
    trigger: 'event' | 'sweep' | 'manual',
  ): Promise<string | undefined> {
    return this.addPending(chainId, 'reconcile', JOB_NAMES.reconcile, { chainId, trigger }, { attempts: 3 });
  }

  /** A reconcile follow-up (redeploy or restart), as the chain's one pending job. */
  addChainFollowUp(chainId: ChainId, kind: 'chain.add' | 'chain.restart'): Promise<string | undefined> {
    const data = { chainId, requestedBy: 'reconcile' };
    return kind === 'chain.add'
      ? this.addPending(chainId, 'add', JOB_NAMES.chainAdd, data)
      : this.addPending(chainId, 'restart', JOB_NAMES.chainRestart, data);
  }

  private async addPending<N extends JobName>(
    chainId: ChainId,
    kind: string,
    name: N,
    data: JobDataMap[N],
    opts: JobsOptions = {},
  ): Promise<string | undefined> {
    const jobId = jobIdFor(kind, chainId);
    if (!(await this.state.pending.mark(chainId, jobId, PENDING_TTL_MS))) return undefined;
    try {
      return await this.add(name, data, { ...opts, jobId });
    } catch (err) {
      await this.state.pending.clear(chainId, jobId);
      throw err;
    }
  }

  /**
   * chain.add for a chain stranded in `requested` (its record was written, its chain.add never queued:
   * the API died between the two). Queued as the chain's one pending job, like every follow-up, so two
   * sweeps cannot both queue it. The marker is taken first and everything is checked again under it:
   * `stillStranded` re-reads the chain, and any unfinished chain.add or chain.remove of the chain (queued
   * by the API, which sets no marker, or by an earlier sweep whose job has started and cleared the
   * marker) means nothing is queued. Returns the new job's id, or undefined when none was needed.
   */
  async requeueStrandedAdd(
    chainId: ChainId,
    stillStranded: () => Promise<boolean>,
  ): Promise<string | undefined> {
    const jobId = jobIdFor('add', chainId);
    if (!(await this.state.pending.mark(chainId, jobId, PENDING_TTL_MS))) return undefined;
    try {
      if (!(await stillStranded()) || (await this.chainsWithUnfinishedJobs(SETTLING)).has(chainId)) {
        await this.state.pending.clear(chainId, jobId);
        return undefined;
      }
      return await this.add(JOB_NAMES.chainAdd, { chainId, requestedBy: 'reconcile' }, { jobId });
    } catch (err) {
      await this.state.pending.clear(chainId, jobId);
      throw err;
    }
  }

  /**
   * Chain ids with a job of one of these names that may still run (waiting, active, delayed,
   * prioritized, waiting for children), whoever queued it. One script reads every state's list.
   */
  async chainsWithUnfinishedJobs(names: readonly string[]): Promise<Set<string>> {
    const jobs = await this.queue.getJobs(UNFINISHED);
    const chains = new Set<string>();
    for (const job of jobs) {
      const chainId: unknown = job.data?.chainId;
      if (names.includes(job.name) && typeof chainId === 'string') chains.add(chainId);
    }
    return chains;
  }

  /** A sweep over every chain; requests within a few seconds of each other make one job. */
  requestSweep(trigger: 'event' | 'manual'): Promise<string> {
    return this.add(
      JOB_NAMES.reconcile,
      { trigger },
      { attempts: 1, deduplication: { id: 'reconcile-sweep', ttl: 5_000 }, removeOnComplete: { count: 100 } },
    );
  }

  /** The periodic sweep as a BullMQ job scheduler (one per queue, however many processes call this). */
  async scheduleSweep(everyMs: number = this.config.sweepEveryMs): Promise<void> {
    await this.queue.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: everyMs },
      {
        name: JOB_NAMES.reconcile,
        data: parseJobData(JOB_NAMES.reconcile, { trigger: 'sweep' }),
        opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
  }

  /** A job's state, step, progress and error for GET /v1/jobs/:id; undefined when unknown. */
  readJob(id: string): Promise<JobView | undefined> {
    return readJob(this.queue, id);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

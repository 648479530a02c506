import {
  type ChainId,
  type ImageRef,
  JOB_NAMES,
  type JobDataMap,
  type JobName,
  type NodeName,
  type NodeUpgradeImages,
  type NodeWalletTarget,
  parseJobData,
} from '@nn/orchestrator-core';
import type { StateStore } from '@nn/orchestrator-state';
import { type ConnectionOptions, type JobsOptions, type JobType, Queue } from 'bullmq';
import type { JobQueueConfig } from './config.js';
import type { Enqueuer, SweepEnqueuer } from './context.js';
import { dedupeIdFor, jobIdFor, jobKindOf, seasonChainJobId } from './job-ids.js';
import { type ListableJobState, recentJobs } from './job-reader.js';
import { JOB_RETENTION } from './job-retention.js';
import { type JobView, readJob } from './job-status.js';

/** A pending marker outlives any sane queue wait; the worker clears it when the job starts. */
const PENDING_TTL_MS = 3_600_000;
export const SWEEP_SCHEDULER_ID = 'reconcile-sweep';
/** Job states from which a job may still run ('waiting' includes a paused queue's jobs). */
const UNFINISHED: JobType[] = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'];
/** Jobs that settle a `requested` chain: its chain.add (whoever queued it), or a removal. */
const SETTLING: readonly string[] = [JOB_NAMES.chainAdd, JOB_NAMES.chainRemove];

/** One chain.add of an import. */
export interface ChainAddRequest {
  readonly chainId: ChainId;
  readonly requestedBy?: string;
}

/**
 * The producer of the orchestrator's queue, for the API, the workers and the sweep alike: every job is
 * validated against core's jobDataSchemas before it is queued (ids and references only, strict), gets
 * its id from the one scheme (job-ids.ts), the configured attempts with exponential backoff, and the one
 * retention (job-retention.ts). It also reads the queue for GET /v1/jobs and the metrics.
 */
export class JobQueue implements Enqueuer, SweepEnqueuer {
  readonly queue: Queue;

  /**
   * `connection`: options, or an ioredis client the queue shares and never closes (a normal one does:
   * a Queue never blocks). `state` holds the pending markers of the one-pending-job-per-chain rule.
   */
  constructor(
    connection: ConnectionOptions,
    private readonly config: JobQueueConfig,
    private readonly state: StateStore,
  ) {
    this.queue = new Queue(config.queueName, { connection, prefix: config.queuePrefix });
  }

  get name(): string {
    return this.queue.name;
  }

  /** Resolves once the queue is connected and has written its meta key (BullMQ does it on start). */
  async ready(): Promise<void> {
    await this.queue.waitUntilReady();
    // The meta write was sent on this connection before this point: reading the meta back sees it done.
    await this.queue.getMeta();
  }

  private options(name: JobName, chainId: string | undefined, opts: JobsOptions): JobsOptions {
    return {
      attempts: this.config.attempts,
      backoff: { type: 'exponential', delay: this.config.backoffMs },
      ...(chainId === undefined ? JOB_RETENTION.sweeps : JOB_RETENTION.chainJobs),
      jobId: jobIdFor(chainId === undefined ? 'sweep' : jobKindOf(name), chainId),
      ...opts,
    };
  }

  private async add<N extends JobName>(
    name: N,
    data: JobDataMap[N],
    opts: JobsOptions = {},
  ): Promise<string> {
    const parsed = parseJobData(name, data);
    const chainId: unknown = (parsed as { chainId?: unknown }).chainId;
    const job = await this.queue.add(
      name,
      parsed,
      this.options(name, typeof chainId === 'string' ? chainId : undefined, opts),
    );
    // With deduplication, this is the id of the job already waiting.
    if (job.id === undefined) throw new Error(`BullMQ gave ${name} no id`);
    return job.id;
  }

  /** chain.add for a chain already created in the state (status requested). */
  addChain(chainId: ChainId, requestedBy?: string): Promise<string> {
    return this.add(JOB_NAMES.chainAdd, { chainId, ...(requestedBy ? { requestedBy } : {}) });
  }

  /**
   * chain.add for every chain of an import, in one MULTI (BullMQ's addBulk): all are queued or none.
   * Every item is validated before anything is sent. Returns the ids in the items' order.
   */
  async addChains(items: readonly ChainAddRequest[]): Promise<string[]> {
    const name = JOB_NAMES.chainAdd;
    const jobs = items.map((item) => {
      const data = parseJobData(name, {
        chainId: item.chainId,
        ...(item.requestedBy ? { requestedBy: item.requestedBy } : {}),
      });
      return { name, data, opts: this.options(name, data.chainId, {}) };
    });
    const added = await this.queue.addBulk(jobs);
    return added.map((job) => {
      if (job.id === undefined) throw new Error(`BullMQ gave ${name} no id`);
      return job.id;
    });
  }

  /** chain.remove; while one of the chain's removals waits or runs, that one's id is returned instead. */
  removeChain(chainId: ChainId, opts: { keepData: boolean; requestedBy?: string }): Promise<string> {
    return this.add(
      JOB_NAMES.chainRemove,
      { chainId, keepData: opts.keepData, ...(opts.requestedBy ? { requestedBy: opts.requestedBy } : {}) },
      { deduplication: { id: dedupeIdFor('remove', chainId) } },
    );
  }

  /** chain.restart; at most one of the chain's restarts waits or runs (as removeChain). */
  restartChain(chainId: ChainId, opts: { reason?: string; requestedBy?: string } = {}): Promise<string> {
    return this.add(
      JOB_NAMES.chainRestart,
      { chainId, ...opts },
      { deduplication: { id: dedupeIdFor('restart', chainId) } },
    );
  }

  /** chain.upgrade; at most one of the chain's upgrades waits or runs (as removeChain). */
  upgradeChain(chainId: ChainId, image: ImageRef, requestedBy?: string): Promise<string> {
    return this.add(
      JOB_NAMES.chainUpgrade,
      { chainId, image, ...(requestedBy ? { requestedBy } : {}) },
      { deduplication: { id: dedupeIdFor('upgrade', chainId) } },
    );
  }

  /**
   * chain.wallet-reset; at most one of the chain's resets waits or runs (as removeChain): the status
   * poller asking again while the operator's reset runs adds nothing.
   */
  resetWallet(chainId: ChainId, trigger: 'manual' | 'auto', requestedBy?: string): Promise<string> {
    return this.add(
      JOB_NAMES.chainWalletReset,
      { chainId, trigger, ...(requestedBy ? { requestedBy } : {}) },
      { deduplication: { id: dedupeIdFor('wallet-reset', chainId) } },
    );
  }

  /** chain.consolidate; at most one of the chain's consolidations waits or runs (as removeChain). */
  consolidateChain(chainId: ChainId, requestedBy?: string): Promise<string> {
    return this.add(
      JOB_NAMES.chainConsolidate,
      { chainId, ...(requestedBy ? { requestedBy } : {}) },
      { deduplication: { id: dedupeIdFor('consolidate', chainId) } },
    );
  }

  /**
   * season.apply (a node-wide job: no chain), at most one waiting or running at a time: a second
   * season while one is applied gets the running one's id.
   */
  applySeason(data: JobDataMap['season.apply']): Promise<string> {
    return this.add(JOB_NAMES.seasonApply, data, {
      ...JOB_RETENTION.chainJobs,
      jobId: jobIdFor('season'),
      deduplication: { id: 'season' },
    });
  }

  /** A chain job of a season change, its id made from the season job's (seasonChainJobId). */
  addSeasonChainJob(
    kind: 'add' | 'remove' | 'upgrade',
    chainId: ChainId,
    seasonJobId: string,
    opts: { keepData?: boolean; image?: ImageRef | string; requestedBy: string },
  ): Promise<string> {
    const jobId = seasonChainJobId(kind, chainId, seasonJobId);
    const by = { requestedBy: opts.requestedBy };
    if (kind === 'add') return this.add(JOB_NAMES.chainAdd, { chainId, ...by }, { jobId });
    if (kind === 'remove')
      return this.add(JOB_NAMES.chainRemove, { chainId, keepData: opts.keepData === true, ...by }, { jobId });
    return this.add(JOB_NAMES.chainUpgrade, { chainId, image: opts.image as ImageRef, ...by }, { jobId });
  }

  /**
   * node.upgrade (the node's job: no chain), at most one waiting or running at a time: asking again
   * while one runs gets the running one's id.
   */
  upgradeNode(images: NodeUpgradeImages, requestedBy?: string): Promise<string> {
    return this.add(
      JOB_NAMES.nodeUpgrade,
      { images, ...(requestedBy ? { requestedBy } : {}) },
      { ...JOB_RETENTION.chainJobs, jobId: jobIdFor('node-upgrade'), deduplication: { id: 'node-upgrade' } },
    );
  }

  /**
   * node.consolidate of the main chain's or the destination's wallet (the node's job: no chain), at most
   * one waiting or running at a time: asking again while one runs gets its id.
   */
  consolidateNodeWallet(target: NodeWalletTarget, requestedBy?: string): Promise<string> {
    return this.add(
      JOB_NAMES.nodeConsolidate,
      { target, ...(requestedBy ? { requestedBy } : {}) },
      {
        ...JOB_RETENTION.chainJobs,
        jobId: jobIdFor('node-consolidate', target),
        deduplication: { id: 'node-consolidate' },
      },
    );
  }

  /**
   * node.wallet-reset of the main chain or the destination (the node's job: no chain), at most one
   * waiting or running at a time: asking again while one runs gets its id (whichever target it has).
   * `trigger` as chain.wallet-reset's: auto when the status poller asks.
   */
  resetNodeWallet(
    target: NodeWalletTarget,
    requestedBy?: string,
    trigger: 'manual' | 'auto' = 'manual',
  ): Promise<string> {
    return this.add(
      JOB_NAMES.nodeWalletReset,
      { target, trigger, ...(requestedBy ? { requestedBy } : {}) },
      {
        ...JOB_RETENTION.chainJobs,
        jobId: jobIdFor('node-wallet-reset', target),
        deduplication: { id: 'node-wallet-reset' },
      },
    );
  }

  /**
   * node.drain (the node's job: no chain), at most one waiting or running per node: asking again while
   * one runs gets its id. Ids carry the node (`drain-e1-<stamp>`).
   */
  drainNode(node: string, mode: 'transfer' | 'resync' | 'lost', requestedBy?: string): Promise<string> {
    return this.add(
      JOB_NAMES.nodeDrain,
      { node: node as NodeName, mode, ...(requestedBy ? { requestedBy } : {}) },
      {
        ...JOB_RETENTION.chainJobs,
        jobId: jobIdFor('drain', node),
        deduplication: { id: dedupeIdFor('drain', node) },
      },
    );
  }

  /** chain.move off `from`; at most one of the chain's moves waits or runs (as removeChain). */
  moveChain(
    chainId: string,
    from: string,
    mode: 'transfer' | 'resync' | 'fresh',
    requestedBy?: string,
  ): Promise<string> {
    return this.add(
      JOB_NAMES.chainMove,
      { chainId: chainId as ChainId, from: from as NodeName, mode, ...(requestedBy ? { requestedBy } : {}) },
      { deduplication: { id: dedupeIdFor('move', chainId) } },
    );
  }

  /**
   * Asks for a reconcile of one chain unless one of its jobs is already pending (one active plus one
   * pending per chain). Returns the new job's id, or undefined when one was pending.
   */
  async requestReconcile(
    chainId: ChainId,
    trigger: 'event' | 'sweep' | 'manual',
  ): Promise<string | undefined> {
    return this.addPending(chainId, JOB_NAMES.reconcile, { chainId, trigger }, { attempts: 3 });
  }

  /** A reconcile follow-up (redeploy or restart), as the chain's one pending job. */
  addChainFollowUp(chainId: ChainId, kind: 'chain.add' | 'chain.restart'): Promise<string | undefined> {
    const data = { chainId, requestedBy: 'reconcile' };
    return kind === 'chain.add'
      ? this.addPending(chainId, JOB_NAMES.chainAdd, data)
      : this.addPending(chainId, JOB_NAMES.chainRestart, data);
  }

  /**
   * The delayed jobs of these chains run now (BullMQ promote): they were waiting for a dependency that
   * has just come back, and their backoff may be long by then. Returns the ids promoted.
   */
  async promoteDelayed(chainIds: ReadonlySet<string>): Promise<string[]> {
    if (chainIds.size === 0) return [];
    const promoted: string[] = [];
    for (const job of await this.queue.getJobs(['delayed'])) {
      const chainId: unknown = job.data?.chainId;
      if (typeof chainId !== 'string' || !chainIds.has(chainId) || job.id === undefined) continue;
      // A job that started meanwhile is no longer delayed: nothing to do for it.
      await job.promote().then(
        () => promoted.push(job.id as string),
        () => undefined,
      );
    }
    return promoted;
  }

  /** The sweep's slow retry of a failed chain (its chain.add), as the chain's one pending job. */
  retryFailedAdd(chainId: ChainId): Promise<string | undefined> {
    return this.addChainFollowUp(chainId, 'chain.add');
  }

  private async addPending<N extends JobName>(
    chainId: ChainId,
    name: N,
    data: JobDataMap[N],
    opts: JobsOptions = {},
  ): Promise<string | undefined> {
    const jobId = jobIdFor(jobKindOf(name), chainId);
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
      { attempts: 1, deduplication: { id: 'reconcile-sweep', ttl: 5_000 } },
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
        opts: { attempts: 1, ...JOB_RETENTION.sweeps },
      },
    );
  }

  /** A job's state, step, progress and error for GET /v1/jobs/:id; undefined when unknown. */
  readJob(id: string): Promise<JobView | undefined> {
    return readJob(this.queue, id);
  }

  /** The newest jobs (optionally of one state, of one chain), newest first. */
  recent(limit: number, state?: ListableJobState, chainId?: string): Promise<JobView[]> {
    return recentJobs(this.queue, limit, state, chainId);
  }

  /** Job counts per state (for metrics). */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts();
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

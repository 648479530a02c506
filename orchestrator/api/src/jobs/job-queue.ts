import { randomBytes } from 'node:crypto';
import { JOB_NAMES, type JobDataMap, type JobName, parseJobData } from '@nn/orchestrator-core';
import { type JobView, jobsConfigSchema, readJob } from '@nn/orchestrator-jobs';
import { type Job, type JobsOptions, type JobType, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AcceptedJob } from '../schemas.js';

// The API's producer side of the orchestrator's job queue: the one BullMQ queue orchestrator/jobs' worker
// consumes (its name, prefix, attempts and backoff default to the jobs package's own defaults), jobs
// named by core's JOB_NAMES, data validated with core's schemas (ids and references only, never secrets).
// Job status is read with the jobs package's readJob, so the API shows what the workers mean by it.

const JOBS_DEFAULTS = {
  queueName: jobsConfigSchema.shape.queueName.parse(undefined),
  queuePrefix: jobsConfigSchema.shape.queuePrefix.parse(undefined),
  attempts: jobsConfigSchema.shape.attempts.parse(undefined),
  backoffMs: jobsConfigSchema.shape.backoffMs.parse(undefined),
};

const DAY_SEC = 86_400;

const LISTED_STATES: JobType[] = [
  'active',
  'waiting',
  'prioritized',
  'waiting-children',
  'delayed',
  'completed',
  'failed',
];

export type ListableJobState = Exclude<JobType, 'paused' | 'repeat' | 'wait'>;

export interface JobQueueOptions {
  /** A normal (non-blocking) connection; the queue shares it and never closes it. */
  readonly connection: Redis;
  /** The queue name; default the jobs package's (`nn-orchestrator`). */
  readonly name?: string;
  /** BullMQ's key prefix; default the jobs package's (`bull`). */
  readonly prefix?: string;
  readonly jobOptions?: JobsOptions;
}

export interface EnqueueOptions {
  /**
   * While a job with this id is waiting or running, queuing again returns that job instead of a new one
   * (BullMQ deduplication): two `chain rm` in a row make one removal.
   */
  readonly dedupeId?: string;
}

/** A job id in the jobs package's style (`add-ccl-<time><random>`): readable, unique, no ':'. */
function jobIdFor(name: JobName, chainId: string): string {
  const kind = name.replace(/^chain\./, '');
  return `${kind}-${chainId}-${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

export class JobQueue {
  readonly queue: Queue;
  private readonly jobOptions: JobsOptions;
  private readonly connection: Redis;

  constructor(options: JobQueueOptions) {
    this.connection = options.connection;
    this.jobOptions = {
      attempts: JOBS_DEFAULTS.attempts,
      backoff: { type: 'exponential', delay: JOBS_DEFAULTS.backoffMs },
      removeOnComplete: { age: 7 * DAY_SEC, count: 1000 },
      removeOnFail: { age: 30 * DAY_SEC, count: 5000 },
      ...options.jobOptions,
    };
    this.queue = new Queue(options.name ?? JOBS_DEFAULTS.queueName, {
      connection: options.connection,
      prefix: options.prefix ?? JOBS_DEFAULTS.queuePrefix,
    });
  }

  get name(): string {
    return this.queue.name;
  }

  /** Resolves once the queue is connected and has written its meta key (BullMQ does it on start). */
  async ready(): Promise<void> {
    await this.queue.waitUntilReady();
    // The meta write was sent on this connection before this point: a round trip sees it done.
    await this.connection.ping();
  }

  /** Validates the data with core's schema and queues one job. */
  async enqueue<N extends JobName>(
    name: N,
    data: JobDataMap[N] & { chainId: string },
    options: EnqueueOptions = {},
  ): Promise<AcceptedJob> {
    const checked = parseJobData(name, data);
    const job = await this.queue.add(name, checked, {
      ...this.jobOptions,
      jobId: jobIdFor(name, data.chainId),
      ...(options.dedupeId === undefined ? {} : { deduplication: { id: options.dedupeId } }),
    });
    return accepted(job, name);
  }

  /** Queues every chain.add job in one MULTI (BullMQ's addBulk): all are queued or none. */
  async enqueueChainAdds(items: readonly JobDataMap['chain.add'][]): Promise<AcceptedJob[]> {
    const name = JOB_NAMES.chainAdd;
    const jobs = await this.queue.addBulk(
      items.map((data) => ({
        name,
        data: parseJobData(name, data),
        opts: { ...this.jobOptions, jobId: jobIdFor(name, data.chainId) },
      })),
    );
    return jobs.map((job) => accepted(job, name));
  }

  /** The job's state, step, progress and error, or undefined. */
  find(id: string): Promise<JobView | undefined> {
    return readJob(this.queue, id);
  }

  /** The newest jobs (optionally of one state, of one chain), newest first. */
  async recent(limit: number, state?: ListableJobState, chainId?: string): Promise<JobView[]> {
    // With a chain filter, look further back so `limit` jobs of that chain can still be found.
    const scan = chainId === undefined ? limit : Math.max(limit, 1000);
    const jobs: Job[] = await this.queue.getJobs(state === undefined ? LISTED_STATES : [state], 0, scan - 1);
    const newest = jobs
      .filter((j) => j?.id !== undefined && (chainId === undefined || j.data?.chainId === chainId))
      .sort((a, b) => b.timestamp - a.timestamp)
      .slice(0, limit);
    const views = await Promise.all(newest.map((j) => readJob(this.queue, j.id as string)));
    return views.filter((v): v is JobView => v !== undefined);
  }

  /** Job counts per state (for metrics). */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts();
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

function accepted(job: Job, name: JobName): AcceptedJob {
  const chainId: unknown = job.data?.chainId;
  if (job.id === undefined || typeof chainId !== 'string') throw new Error(`queued ${name} job has no id`);
  return { jobId: job.id, name, chainId };
}

import { type JobProgress, jobProgressSchema } from '@nn/orchestrator-core';
import type { Queue } from 'bullmq';

/** What GET /v1/jobs/:id shows. Job data holds ids only, so all of it is safe to show a viewer. */
export interface JobView {
  readonly id: string;
  readonly name: string;
  /** waiting | active | delayed | completed | failed | prioritized | waiting-children | unknown */
  readonly state: string;
  readonly chainId: string | null;
  readonly step: string | null;
  readonly progress: JobProgress | null;
  readonly error: { readonly message: string } | null;
  readonly attemptsMade: number;
  readonly attempts: number;
  readonly result: unknown;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

const JOB_ID = /^[A-Za-z0-9._-]{1,128}$/;

export async function readJob(queue: Queue, id: string): Promise<JobView | undefined> {
  if (!JOB_ID.test(id)) return undefined;
  // State first, then the hash: a job finishing between the two reads then shows its result rather
  // than `completed` with the hash of before (the move to completed writes both atomically).
  const state = await queue.getJobState(id);
  const job = await queue.getJob(id);
  if (!job || job.id === undefined || state === 'unknown') return undefined;
  const progress = jobProgressSchema.safeParse(job.progress);
  const data = job.data as { chainId?: unknown } | undefined;
  return {
    id: job.id,
    name: job.name,
    state,
    chainId: typeof data?.chainId === 'string' ? data.chainId : null,
    step: progress.success ? progress.data.step : null,
    progress: progress.success ? progress.data : null,
    error: job.failedReason ? { message: job.failedReason } : null,
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    result: job.returnvalue ?? null,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

import type { Job, JobType, Queue } from 'bullmq';
import { type JobView, readJob } from './job-status.js';

// The read side of the queue that GET /v1/jobs and the API's metrics use: listings and counts.

/** Job states a listing can filter by (BullMQ's, without its aliases and repeat entries). */
export type ListableJobState = Exclude<JobType, 'paused' | 'repeat' | 'wait'>;

const LISTED_STATES: ListableJobState[] = [
  'active',
  'waiting',
  'prioritized',
  'waiting-children',
  'delayed',
  'completed',
  'failed',
];

/** With a chain filter, a listing looks this far back so `limit` jobs of that chain can still be found. */
const CHAIN_SCAN = 1000;

/** The newest jobs (optionally of one state, of one chain), newest first, as readJob shows them. */
export async function recentJobs(
  queue: Queue,
  limit: number,
  state?: ListableJobState,
  chainId?: string,
): Promise<JobView[]> {
  const scan = chainId === undefined ? limit : Math.max(limit, CHAIN_SCAN);
  const jobs: Job[] = await queue.getJobs(state === undefined ? LISTED_STATES : [state], 0, scan - 1);
  const newest = jobs
    .filter((j) => j?.id !== undefined && (chainId === undefined || j.data?.chainId === chainId))
    .sort((a, b) => b.timestamp - a.timestamp)
    .slice(0, limit);
  const views = await Promise.all(newest.map((j) => readJob(queue, j.id as string)));
  return views.filter((v): v is JobView => v !== undefined);
}

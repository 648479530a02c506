import type { JobsOptions } from 'bullmq';

const DAY_SEC = 86_400;

type Retention = Required<Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'>>;

/**
 * How long the queue keeps finished jobs, for every producer of it (API and workers alike), so that
 * `nnctl jobs` and GET /v1/jobs/:id can still show what happened:
 * - chain jobs (add, remove, restart, upgrade, a per-chain reconcile): completed ones 7 days, at most the
 *   newest 1000; failed ones 30 days, at most the newest 5000 (a failure is what an operator comes back
 *   to read);
 * - sweeps (a reconcile of every chain, one a minute by default): the newest 100 of each, since their
 *   number grows with time alone.
 */
export const JOB_RETENTION = {
  chainJobs: {
    removeOnComplete: { age: 7 * DAY_SEC, count: 1000 },
    removeOnFail: { age: 30 * DAY_SEC, count: 5000 },
  },
  sweeps: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
} as const satisfies Record<string, Retention>;

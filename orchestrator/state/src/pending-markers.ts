import { ValidationError } from '@nn/orchestrator-core';
import type { Redis } from 'ioredis';
import { checkChainId } from './ids.js';
import type { StateKeys } from './keys.js';
import { COMPARE_AND_DELETE } from './lua/lease-scripts.js';

// Reconcile keeps at most one active and one pending job per chain. The active one holds the chain's
// lease; the pending one is named by this marker. The pattern:
//   producer: if (await pending.mark(chainId, jobId, ttl)) queue.add(..., { jobId })  // else one is queued
//   worker:   take the lease (or retry later), then pending.clear(chainId, job.id), then work
// Clearing before the work starts means a change seen during the work queues exactly one follow-up.

const JOB_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export class PendingMarkers {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  /** Names `jobId` as the chain's pending job unless one already is; true when it was marked. */
  async mark(chainId: string, jobId: string, ttlMs: number): Promise<boolean> {
    if (!JOB_ID.test(jobId))
      throw new ValidationError({
        field: 'jobId',
        reason: 'must be 1-128 of A-Z, a-z, 0-9, ".", "_", ":", "-"',
      });
    if (!Number.isInteger(ttlMs) || ttlMs < 100)
      throw new ValidationError({ field: 'ttlMs', reason: 'must be a whole number of ms, at least 100' });
    return (
      (await this.redis.set(this.keys.pending(checkChainId(chainId)), jobId, 'PX', ttlMs, 'NX')) === 'OK'
    );
  }

  /** The chain's pending job id, if any. */
  async get(chainId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.pending(checkChainId(chainId)))) ?? undefined;
  }

  /** Clears the marker if it still names `jobId` (the job has started); true when it did. */
  async clear(chainId: string, jobId: string): Promise<boolean> {
    return (
      (await COMPARE_AND_DELETE.run(this.redis, [this.keys.pending(checkChainId(chainId))], [jobId])) === 1
    );
  }
}

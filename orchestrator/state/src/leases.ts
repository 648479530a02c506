import { randomUUID } from 'node:crypto';
import { TransientError, ValidationError } from '@nn/orchestrator-core';
import type { Redis } from 'ioredis';
import { checkChainId } from './ids.js';
import type { StateKeys } from './keys.js';
import { COMPARE_AND_DELETE, COMPARE_AND_EXPIRE } from './lua/lease-scripts.js';

// At most one job works on a chain at a time: it holds the chain's lease, a key with a random token and a
// TTL. The TTL frees the chain if the worker dies; a live worker renews it. Only the token's holder can
// renew or release, so a worker that stalled past its TTL cannot release a lease that is now another's.

export interface Lease {
  readonly chainId: string;
  /** `owner/uuid`: the owner (a job id) is there for operators reading Redis, the uuid for safety. */
  readonly token: string;
  readonly ttlMs: number;
}

export interface LeaseOptions {
  /** How long the lease lives without renewal. */
  readonly ttlMs: number;
  /** Who takes it (a job id); shown by holder(). */
  readonly owner?: string;
}

const OWNER = /^[A-Za-z0-9._:-]{1,128}$/;

function checkTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs < 100 || ttlMs > 86_400_000)
    throw new ValidationError({ field: 'ttlMs', reason: 'must be a whole number of ms in 100..86400000' });
}

export class ChainLeases {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  /** Takes the chain's lease, or returns undefined when another holder has it. */
  async acquire(chainId: string, options: LeaseOptions): Promise<Lease | undefined> {
    const id = checkChainId(chainId);
    checkTtl(options.ttlMs);
    const owner = options.owner ?? 'anonymous';
    if (!OWNER.test(owner))
      throw new ValidationError({
        field: 'owner',
        reason: 'must be 1-128 of A-Z, a-z, 0-9, ".", "_", ":", "-"',
      });
    const token = `${owner}/${randomUUID()}`;
    const ok = await this.redis.set(this.keys.lease(id), token, 'PX', options.ttlMs, 'NX');
    return ok === 'OK' ? { chainId: id, token, ttlMs: options.ttlMs } : undefined;
  }

  /** Extends the lease; false when it was lost (expired, or taken by someone else since). */
  async renew(lease: Lease, ttlMs: number = lease.ttlMs): Promise<boolean> {
    checkTtl(ttlMs);
    const reply = await COMPARE_AND_EXPIRE.run(
      this.redis,
      [this.keys.lease(checkChainId(lease.chainId))],
      [lease.token, ttlMs],
    );
    return reply === 1;
  }

  /** Gives the lease back; false when it was no longer ours. */
  async release(lease: Lease): Promise<boolean> {
    const reply = await COMPARE_AND_DELETE.run(
      this.redis,
      [this.keys.lease(checkChainId(lease.chainId))],
      [lease.token],
    );
    return reply === 1;
  }

  /** The current holder's token, or undefined when the chain is free. */
  async holder(chainId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.lease(checkChainId(chainId)))) ?? undefined;
  }

  /**
   * Runs `work` while holding the chain's lease, renewing it every third of the TTL, and releases it after.
   * A held lease is a TransientError (the job retries later). If a renewal finds the lease lost, `signal`
   * aborts so the work can stop before it touches the chain again.
   */
  async withLease<T>(
    chainId: string,
    options: LeaseOptions,
    work: (lease: Lease, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const lease = await this.acquire(chainId, options);
    if (lease === undefined) {
      const holder = await this.holder(chainId);
      throw new TransientError(
        `chain ${chainId} is busy: another job holds its lease (${holder ?? 'just released'})`,
      );
    }
    const controller = new AbortController();
    const timer = setInterval(
      () => {
        this.renew(lease).then(
          (kept) => {
            if (!kept) controller.abort(new TransientError(`lost the lease on chain ${chainId}`));
          },
          (err: unknown) => controller.abort(err),
        );
      },
      Math.max(50, Math.floor(lease.ttlMs / 3)),
    );
    try {
      return await work(lease, controller.signal);
    } finally {
      clearInterval(timer);
      await this.release(lease);
    }
  }
}

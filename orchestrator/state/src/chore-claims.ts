import { ValidationError } from '@nn/orchestrator-core';
import type { Redis } from 'ioredis';
import type { StateKeys } from './keys.js';

const CHORE = /^[a-z0-9][a-z0-9:._-]{0,127}$/;

/**
 * Recurring side-effecting chores (a coin's notary UTXO split) run in every worker process, but must
 * happen once per interval in the whole cluster: a claim is a key set only if absent, with the
 * interval as its TTL. Whoever sets it does the chore; the others skip until it expires. Nothing is
 * released early, so a chore that failed waits out its interval too (a split that failed now would
 * mostly fail again a second later).
 */
export class ChoreClaims {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  /** True for exactly one caller per `everyMs` across all processes sharing this Redis and prefix. */
  async claim(chore: string, everyMs: number): Promise<boolean> {
    if (!CHORE.test(chore))
      throw new ValidationError({ field: 'chore', reason: 'must be 1-128 of a-z, 0-9, ":", ".", "_", "-"' });
    if (!Number.isInteger(everyMs) || everyMs < 100 || everyMs > 86_400_000)
      throw new ValidationError({
        field: 'everyMs',
        reason: 'must be a whole number of ms in 100..86400000',
      });
    return (await this.redis.set(this.keys.chore(chore), '1', 'PX', everyMs, 'NX')) === 'OK';
  }
}

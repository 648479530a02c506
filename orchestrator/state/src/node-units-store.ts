import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StateKeys } from './keys.js';
import { COMPARE_AND_DELETE, COMPARE_AND_EXPIRE } from './lua/lease-scripts.js';

/**
 * The node's own units (destination chain, main chain, Iguana) as desired state: one JSON document,
 * written by `nnctl up` when it deploys them, read by the workers' reconcile, which brings back a unit
 * that stopped, exited or vanished. What the document holds is @nn/node-units' business (it validates
 * it); secrets are never in it, only the secrets dir they are read from. A lease makes one job at a
 * time work on the units.
 */
export class NodeUnitsStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  async putDesired(doc: Readonly<Record<string, unknown>>): Promise<void> {
    await this.redis.set(this.keys.nodeUnits, JSON.stringify(doc));
  }

  /** The document as stored (unparsed beyond JSON), or undefined when none was recorded. */
  async getDesired(): Promise<unknown> {
    const raw = await this.redis.get(this.keys.nodeUnits);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  }

  /** `nnctl down`: the units are no longer wanted. */
  async deleteDesired(): Promise<void> {
    await this.redis.del(this.keys.nodeUnitsLease, this.keys.nodeUnits);
  }

  /** Takes the units' lease for `ttlMs`: its token, or undefined when another job holds it. */
  async acquire(owner: string, ttlMs: number): Promise<string | undefined> {
    const token = `${owner}/${randomUUID()}`;
    const ok = await this.redis.set(this.keys.nodeUnitsLease, token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? token : undefined;
  }

  async renew(token: string, ttlMs: number): Promise<boolean> {
    return (await COMPARE_AND_EXPIRE.run(this.redis, [this.keys.nodeUnitsLease], [token, ttlMs])) === 1;
  }

  async release(token: string): Promise<void> {
    await COMPARE_AND_DELETE.run(this.redis, [this.keys.nodeUnitsLease], [token]);
  }
}

import type { Redis } from 'ioredis';
import type { StateKeys } from './keys.js';

/**
 * The node's own units with a live status: the main chain (KMD, KMDCL; `kmd`), the destination chain
 * (LTC; `ltc`) and Iguana.
 */
export type LiveBase = 'kmd' | 'ltc' | 'iguana';

/** Whose live status: an assetchain by id, or one of the node's own units. */
export type LiveSubject = { readonly chain: string } | { readonly base: LiveBase };

const SUBJECT = /^[a-z0-9][a-z0-9-]{0,62}$/;

function subjectKey(keys: StateKeys, s: LiveSubject): string {
  const [kind, name] = 'chain' in s ? ['chain', s.chain] : ['base', s.base];
  if (!SUBJECT.test(name)) throw new Error(`live status: bad ${kind} name ${JSON.stringify(name)}`);
  return keys.live(`${kind}:${name}`);
}

/**
 * The last status each unit's sidecar reported (what `nnctl status` shows), written by the workers' poller
 * with a TTL, so a status that stops being refreshed disappears instead of looking current. Observations
 * only: nothing here is desired state, and losing it costs one poll.
 */
export class LiveStatusStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  async put(subject: LiveSubject, status: Readonly<Record<string, unknown>>, ttlMs: number): Promise<void> {
    await this.redis.set(subjectKey(this.keys, subject), JSON.stringify(status), 'PX', Math.max(1, ttlMs));
  }

  /** The statuses of the subjects, in order; null where none is fresh (or it does not parse). */
  async getMany(subjects: readonly LiveSubject[]): Promise<Array<Record<string, unknown> | null>> {
    if (subjects.length === 0) return [];
    const raw = await this.redis.mget(...subjects.map((s) => subjectKey(this.keys, s)));
    return raw.map((r) => {
      if (r === null) return null;
      try {
        const v: unknown = JSON.parse(r);
        return typeof v === 'object' && v !== null && !Array.isArray(v)
          ? (v as Record<string, unknown>)
          : null;
      } catch {
        return null;
      }
    });
  }
}

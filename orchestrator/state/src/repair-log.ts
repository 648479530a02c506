import type { Redis } from 'ioredis';
import type { StateKeys } from './keys.js';

/** Whose repair: an assetchain by id, or one of the node's own units by role. */
export type RepairSubject = { readonly chain: string } | { readonly unit: string };

/**
 * "Why and what was tried" for a chain or a node unit that is not where it should be: the last error,
 * the tries since it last was fine, what the next try will be and when. Written by the jobs as they
 * wait or fail, cleared when the subject is fine again; `nnctl status` shows it. Never a secret: the
 * error texts are the jobs' scrubbed reasons.
 */
export interface RepairRecord {
  /** The step and its error, as the job's failure reason says it. */
  readonly lastError: string;
  /** Tries since the subject was last fine. */
  readonly attempts: number;
  /** What was (and will again be) tried: `chain.add`, `restart`, `register`, `deploy`... */
  readonly action: string;
  /** The dependency it waits for, when one is down. */
  readonly waitingFor?: string | undefined;
  /** ISO time of the next try; absent when none is planned. */
  readonly nextRetryAt?: string | undefined;
  /** ISO time of the first failed try since the subject was last fine. */
  readonly since: string;
  readonly updatedAt: string;
}

const SUBJECT = /^[a-z0-9][a-z0-9-]{0,62}$/;

function field(s: RepairSubject): string {
  const [kind, name] = 'chain' in s ? ['chain', s.chain] : ['unit', s.unit];
  if (!SUBJECT.test(name)) throw new Error(`repair log: bad ${kind} name ${JSON.stringify(name)}`);
  return `${kind}:${name}`;
}

function parse(raw: string | null | undefined): RepairRecord | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<RepairRecord>;
    return typeof v.lastError === 'string' && typeof v.attempts === 'number'
      ? (v as RepairRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

export class RepairLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  async get(subject: RepairSubject): Promise<RepairRecord | undefined> {
    return parse(await this.redis.hget(this.keys.repairs, field(subject)));
  }

  /** Records one more failed try (attempts counted from the previous record). Returns the record. */
  async failed(
    subject: RepairSubject,
    entry: { lastError: string; action: string; waitingFor?: string; nextRetryAt?: Date },
  ): Promise<RepairRecord> {
    const before = await this.get(subject);
    const now = new Date().toISOString();
    const record: RepairRecord = {
      lastError: entry.lastError.slice(0, 500),
      attempts: (before?.attempts ?? 0) + 1,
      action: entry.action,
      ...(entry.waitingFor ? { waitingFor: entry.waitingFor } : {}),
      ...(entry.nextRetryAt ? { nextRetryAt: entry.nextRetryAt.toISOString() } : {}),
      since: before?.since ?? now,
      updatedAt: now,
    };
    await this.redis.hset(this.keys.repairs, field(subject), JSON.stringify(record));
    return record;
  }

  /** The subject is fine again. */
  async clear(subject: RepairSubject): Promise<void> {
    await this.redis.hdel(this.keys.repairs, field(subject));
  }

  /** Every record, by field (`chain:<id>`, `unit:<role>`). */
  async all(): Promise<Map<string, RepairRecord>> {
    const raw = await this.redis.hgetall(this.keys.repairs);
    const out = new Map<string, RepairRecord>();
    for (const [k, v] of Object.entries(raw)) {
      const r = parse(v);
      if (r) out.set(k, r);
    }
    return out;
  }
}

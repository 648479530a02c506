import { createHash, timingSafeEqual } from 'node:crypto';
import { readSecretFile } from '@nn/shared';
import { z } from 'zod';
import type { Role } from '../routes.js';

// API keys come from a JSON file of mode 600, the same shape as the sidecars' token files:
// { "viewer": ["..."], "operator": ["..."] }. Only SHA-256 digests are kept in memory and every stored
// digest is compared (constant time per comparison, no early exit), so timing says nothing about a key.

const key = z.string().min(16, { error: 'keys must be at least 16 characters' }).max(512);
const keysFileSchema = z.strictObject({
  viewer: z.array(key).default([]),
  operator: z.array(key).default([]),
});
export type ApiKeysInput = z.input<typeof keysFileSchema>;

const digest = (value: string) => createHash('sha256').update(value).digest();

export interface Caller {
  readonly role: Role;
  /** Who asked, recorded on jobs: derived from the key's digest, never the key. */
  readonly actor: string;
}

export class ApiKeys {
  private constructor(private readonly entries: ReadonlyArray<{ digest: Buffer; caller: Caller }>) {}

  static fromFile(path: string): ApiKeys {
    let raw: unknown;
    try {
      raw = JSON.parse(readSecretFile(path));
    } catch (err) {
      // JSON.parse quotes the text near the error, i.e. a key: never pass its message on.
      if (err instanceof SyntaxError) throw new Error(`API keys file ${path} is not JSON`);
      throw err;
    }
    return ApiKeys.validated(raw, `API keys file ${path}`);
  }

  static of(keys: ApiKeysInput): ApiKeys {
    return ApiKeys.validated(keys, 'API keys');
  }

  private static validated(raw: unknown, what: string): ApiKeys {
    const parsed = keysFileSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`,
      );
    const entry = (value: string, role: Role) => {
      const d = digest(value);
      return { digest: d, caller: { role, actor: `${role}:${d.toString('hex').slice(0, 12)}` } };
    };
    return new ApiKeys([
      ...parsed.data.viewer.map((k) => entry(k, 'viewer')),
      ...parsed.data.operator.map((k) => entry(k, 'operator')),
    ]);
  }

  /** The caller for a presented key, or undefined. Operator wins when a key is listed under both. */
  lookup(presented: string | undefined): Caller | undefined {
    if (presented === undefined || presented.length === 0) return undefined;
    const given = digest(presented);
    let found: Caller | undefined;
    for (const e of this.entries)
      if (timingSafeEqual(e.digest, given) && found?.role !== 'operator') found = e.caller;
    return found;
  }
}

/**
 * The key in an Authorization header: `Bearer <key>`, or HTTP Basic with the key as the password (what a
 * browser sends for the dashboard after its login prompt).
 */
export function presentedKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (value === undefined) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

/** Whether `role` may do what `needed` allows (operator includes viewer). */
export function roleAllows(role: Role, needed: Role): boolean {
  return needed === 'viewer' || role === 'operator';
}

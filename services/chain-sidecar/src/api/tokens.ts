import { createHash, timingSafeEqual } from 'node:crypto';
import { readSecretFile } from '@nn/shared';
import { z } from 'zod';
import type { Role } from './allowlist.js';

const tokensFileSchema = z
  .object({
    viewer: z.array(z.string().min(16, 'tokens must be at least 16 characters')).default([]),
    operator: z.array(z.string().min(16, 'tokens must be at least 16 characters')).default([]),
  })
  .strict();

const digest = (token: string) => createHash('sha256').update(token).digest();

/** Bearer tokens → roles. Only digests are kept; comparisons are constant-time. */
export class TokenStore {
  private constructor(private readonly entries: ReadonlyArray<{ digest: Buffer; role: Role }>) {}

  static fromFile(path: string): TokenStore {
    const parsed = tokensFileSchema.safeParse(JSON.parse(readSecretFile(path)));
    if (!parsed.success) {
      throw new Error(`tokens file ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return TokenStore.of(parsed.data);
  }

  static of(tokens: { viewer?: string[]; operator?: string[] }): TokenStore {
    return new TokenStore([
      ...(tokens.viewer ?? []).map((t) => ({ digest: digest(t), role: 'viewer' as const })),
      ...(tokens.operator ?? []).map((t) => ({ digest: digest(t), role: 'operator' as const })),
    ]);
  }

  /** The role of an `Authorization: Bearer <token>` header, or undefined. */
  roleOf(header: string | undefined): Role | undefined {
    if (!header?.startsWith('Bearer ')) return undefined;
    const given = digest(header.slice(7).trim());
    let role: Role | undefined;
    for (const e of this.entries) if (timingSafeEqual(e.digest, given)) role = e.role;
    return role;
  }
}

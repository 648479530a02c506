import type { Redis } from 'ioredis';

/**
 * Deletes every key starting with one of `prefixes` (SCAN, never KEYS: a busy Redis keeps answering).
 * For taking a whole orchestrator instance away (`nnctl down --volumes`) and for tests cleaning up.
 */
export async function deletePrefixed(redis: Redis, prefixes: readonly string[]): Promise<void> {
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
}

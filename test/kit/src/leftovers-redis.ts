import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.NN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key named prefix* (SCAN, then UNLINK in batches); returns how many. */
export async function removeRedisKeys(prefixes: readonly string[], url = TEST_REDIS_URL): Promise<number> {
  if (prefixes.length === 0) return 0;
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {}); // reported by the failing command
  let removed = 0;
  try {
    await redis.connect();
    for (const prefix of prefixes) {
      // Glob metacharacters in a prefix would widen the match: escape them.
      const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) removed += await redis.unlink(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
  return removed;
}

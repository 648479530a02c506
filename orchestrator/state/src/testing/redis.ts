import { randomUUID } from 'node:crypto';
import { runPrefix, TEST_REDIS_URL } from '@nn/testkit';
import { Redis } from 'ioredis';
import { deletePrefixed } from '../delete-prefixed.js';

// Tests run against the real Redis on 127.0.0.1:6379, each under its own key prefix, and delete their
// keys afterwards so parallel test files never see each other's state. The prefix starts with the
// test run's prefix: what a killed run leaves is removed by the next run's clean-up.

export { TEST_REDIS_URL };

export interface TestRedis {
  readonly redis: Redis;
  readonly prefix: string;
  /** Another connection to the same server (for concurrency tests). */
  connect(): Redis;
  /** Deletes every key under the prefix and closes all connections made here. */
  cleanup(): Promise<void>;
}

export function testRedis(): TestRedis {
  const prefix = `${runPrefix()}:${randomUUID().slice(0, 8)}:`;
  const connections: Redis[] = [];
  const connect = () => {
    const r = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: false });
    connections.push(r);
    return r;
  };
  const redis = connect();
  return {
    redis,
    prefix,
    connect,
    async cleanup() {
      await deletePrefixed(redis, [prefix]);
      await Promise.all(connections.map((c) => c.quit()));
    },
  };
}

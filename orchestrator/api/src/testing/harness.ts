import { randomUUID } from 'node:crypto';
import { JobQueue, parseJobQueueConfig } from '@nn/orchestrator-jobs';
import { createStateStore, type StateStore } from '@nn/orchestrator-state';
import { TEST_IMAGE } from '@nn/orchestrator-state/testing';
import { createLogger } from '@nn/shared';
import { runPrefix, TEST_REDIS_URL } from '@nn/testkit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { ApiKeys } from '../auth/api-keys.js';
import { type ApiOptions, buildApi } from '../http/server.js';

// An API over the real Redis (127.0.0.1:6379 unless NN_TEST_REDIS_URL) and real BullMQ queues, each test
// under its own prefix for both the state store and the queues, so every key a test makes can be counted
// and deleted.

export { nodeInput, season8Entries, TEST_IMAGE } from '@nn/orchestrator-state/testing';
export { devnetSeason, type NetworkJson, nodeUnitsOf } from './season-node.js';
export { TEST_REDIS_URL };
export const VIEWER_KEY = 'viewer-key-0123456789abcdef';
export const OPERATOR_KEY = 'operator-key-0123456789abcdef';
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly redis: Redis;
  readonly state: StateStore;
  readonly queue: JobQueue;
  /** Everything under this prefix belongs to the test (state keys and BullMQ keys). */
  readonly prefix: string;
  readonly queuePrefix: string;
  /** Keys under the test's prefix right now. */
  countKeys(): Promise<number>;
  /** Jobs in the queue, any state. */
  countJobs(): Promise<number>;
  close(): Promise<void>;
}

export async function apiHarness(overrides: Partial<ApiOptions> = {}): Promise<ApiHarness> {
  const prefix = `${runPrefix()}:${randomUUID().slice(0, 8)}:`;
  const queuePrefix = `${prefix}bull`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const state = createStateStore(redis, { prefix });
  // Set past the config's check, which refuses ':' in a prefix: the test's BullMQ keys must sit under
  // its own prefix to be counted and deleted with the rest.
  const queue = new JobQueue(redis, { ...parseJobQueueConfig({}), queuePrefix }, state);
  const app = await buildApi({
    redis,
    state,
    queue,
    keys: ApiKeys.of({ viewer: [VIEWER_KEY], operator: [OPERATOR_KEY] }),
    defaults: { image: TEST_IMAGE },
    log: createLogger('test', { level: 'silent' }),
    ...overrides,
  });
  await app.ready();
  await queue.ready();
  const keys = async () => {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      out.push(...batch);
    } while (cursor !== '0');
    return out;
  };
  return {
    app,
    redis,
    state,
    queue,
    prefix,
    queuePrefix,
    countKeys: async () => (await keys()).length,
    async countJobs() {
      let n = 0;
      for (const c of Object.values(await queue.counts())) n += c;
      return n;
    },
    async close() {
      await app.close();
      await queue.close();
      const all = await keys();
      for (let i = 0; i < all.length; i += 500) await redis.del(...all.slice(i, i + 500));
      await redis.quit();
    },
  };
}
export { recordedNodeUnits } from './node-units-fixture.js';

import { createStateStore, type StateStore } from '@nn/orchestrator-state';
import { TEST_REDIS_URL, type TestRedis, testRedis } from '@nn/orchestrator-state/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { type JobsConfig, parseJobsConfig } from '../config.js';
import { JobQueue } from '../queues.js';

export interface TestQueue {
  readonly t: TestRedis;
  /** BullMQ's own connection (it needs maxRetriesPerRequest null); tests build Workers on it. */
  readonly bull: Redis;
  readonly config: JobsConfig;
  readonly state: StateStore;
  /** The queue, made before the file's tests and obliterated after them. */
  readonly queue: JobQueue;
}

/**
 * A test file's queue on the real Redis under a prefix of its own, with the jobs config `extra` on top
 * of the defaults; registers the hooks that make it and remove every key and connection afterwards.
 */
export function useTestQueue(extra: Record<string, unknown> = {}): TestQueue {
  const t = testRedis();
  const bull = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const config = parseJobsConfig({
    secretsDir: '/tmp/nn-unused',
    queuePrefix: `${t.prefix}bull`.replace(/:/g, '-'),
    ...extra,
  });
  const state = createStateStore(t.redis, { prefix: t.prefix });
  let queue: JobQueue | undefined;
  beforeAll(() => {
    queue = new JobQueue(bull, config, state);
  });
  afterAll(async () => {
    await queue?.queue.obliterate({ force: true });
    await queue?.close();
    await bull.quit();
    await t.cleanup();
  });
  return {
    t,
    bull,
    config,
    state,
    get queue() {
      if (!queue) throw new Error('the test queue exists only while the file runs its tests');
      return queue;
    },
  };
}

import { JobQueue, parseJobQueueConfig } from '@nn/orchestrator-jobs';
import { createStateStore } from '@nn/orchestrator-state';
import { createLogger } from '@nn/shared';
import { freePort, runPrefix } from '@nn/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../auth/api-keys.js';
import { apiHarness, TEST_IMAGE } from '../testing/harness.js';
import { buildApi } from './server.js';

describe('API metrics and Redis', () => {
  it('report Redis up, with the chain and queue gauges, while Redis answers', async () => {
    const h = await apiHarness();
    try {
      const res = await h.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/^nn_redis_up 1$/m);
      expect(res.body).toMatch(/^nn_chains\{status="ready"\} 0$/m);
      expect(res.body).toMatch(/^nn_queue_jobs\{state="failed"\} 0$/m);
    } finally {
      await h.close();
    }
  });

  describe('with Redis away (nothing listens on its port)', async () => {
    const port = await freePort();
    const redis = new Redis(`redis://127.0.0.1:${port}`, {
      maxRetriesPerRequest: 1,
      retryStrategy: () => 200,
    });
    redis.on('error', () => undefined);
    const state = createStateStore(redis, { prefix: `${runPrefix()}:away:` });
    const queue = new JobQueue(redis, parseJobQueueConfig({}), state);
    const app = await buildApi({
      redis,
      state,
      queue,
      keys: ApiKeys.of({ viewer: ['viewer-key-0123456789abcdef'], operator: ['operator-key-0123456789ab'] }),
      defaults: { image: TEST_IMAGE },
      log: createLogger('test', { level: 'silent' }),
      dashboard: false,
    });
    afterAll(async () => {
      await app.close();
      await queue.close().catch(() => undefined);
      redis.disconnect();
    });

    it('still answer the scrape: nn_redis_up 0 and no chain or queue samples', async () => {
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/^nn_redis_up 0$/m);
      expect(res.body).toContain('# TYPE nn_chains gauge');
      expect(res.body).not.toMatch(/^nn_chains\{/m);
      expect(res.body).not.toMatch(/^nn_queue_jobs\{/m);
      expect(res.body).toMatch(/^nn_api_process_resident_memory_bytes \d+/m);
    });
  });
});

import { type JobsRuntime, startStatusPoller } from '@nn/orchestrator-jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnv, type Env, type FakeIguana, fakeIguana } from './harness.js';

// The notary UTXO top-up runs in every worker's status poller; with several workers on one cluster a
// coin running low must still be split once per interval, not once per worker.

let env: Env;
let iguana: FakeIguana;
const runtimes: JobsRuntime[] = [];

beforeAll(async () => {
  env = await createEnv();
  iguana = await fakeIguana(env.dir);
});
afterAll(async () => {
  await iguana?.close();
  await env?.cleanup();
});

describe('notary UTXO top-up across workers', () => {
  it('splits a low coin once per minute in the whole cluster, leaves the others alone', async () => {
    const config = env.baseConfig({
      queueName: 'chore',
      // Only the explicit rounds below: no loop.
      liveStatusEveryMs: 0,
      iguana: {
        url: iguana.url,
        operatorTokenFile: iguana.tokenFile,
        node: 'local',
        volume: `t${env.id}-iguana-data`,
        splitUtxos: 20,
      },
    });
    for (let i = 0; i < 4; i++) runtimes.push(await env.start(config, { worker: false }));
    const pollers = runtimes.map((r) => startStatusPoller(r.deps));
    try {
      iguana.coins = [
        { name: 'KMD', registered: true, notaryUtxos: 2 },
        // At the threshold (a quarter of 20): not low.
        { name: 'CCL', registered: true, notaryUtxos: 5 },
        { name: 'KOIN', registered: true, notaryUtxos: 0 },
        // Not registered (yet): never split.
        { name: 'ILN', registered: false, notaryUtxos: 0 },
        // A name no coin of ours has: skipped, the round goes on.
        { name: '../../etc', registered: true, notaryUtxos: 0 },
      ];
      // Four workers, three rounds each, all at once.
      for (let round = 0; round < 3; round++) await Promise.all(pollers.map((p) => p.pollOnce()));
      expect(iguana.splits.map((s) => s.name).sort()).toEqual(['KMD', 'KOIN']);
      expect(iguana.splits.every((s) => s.duplicates === 20)).toBe(true);
      // The claims are in Redis under this cluster's prefix, with the interval as their TTL.
      const ttl = await env.redis.pttl(`${env.statePrefix}chore:split:kmd`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      // Once the interval is over (the claim gone), the next round splits again, once.
      await env.redis.del(`${env.statePrefix}chore:split:kmd`);
      await Promise.all(pollers.map((p) => p.pollOnce()));
      expect(iguana.splits.filter((s) => s.name === 'KMD')).toHaveLength(2);
      expect(iguana.splits.filter((s) => s.name === 'KOIN')).toHaveLength(1);
    } finally {
      await Promise.all(pollers.map((p) => p.stop()));
    }
  });
});

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore } from './state-store.js';
import { nodeInput, season8Entries, specOf } from './testing/fixtures.js';
import { RedisServerProcess } from './testing/redis-server.js';

// A private redis-server with AOF (appendfsync always) is killed with SIGKILL and restarted on the same
// dir: everything acknowledged before the kill must read back, and the indexes and allocations must still
// refuse duplicates.

let server: RedisServerProcess;

beforeAll(async () => {
  server = await RedisServerProcess.create();
  await server.start();
}, 30_000);

afterAll(async () => {
  await server?.destroy();
});

function connect(): Redis {
  const redis = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {}); // the server is killed under it on purpose; commands still reject
  return redis;
}

describe('state survives a Redis crash (AOF on)', () => {
  it('reads back chains, nodes and placements after SIGKILL and restart', async () => {
    const before = connect();
    const state = createStateStore(before);
    await state.nodes.upsert(nodeInput('node-a'));
    await state.nodes.upsert(nodeInput('node-b'));
    const specs = season8Entries().map((e) => specOf(e));
    for (const s of specs) await state.chains.create(s);
    for (const s of specs) await state.placement.place(s.id);
    const ready = await state.chains.mutate('ccl', () => ({ status: 'ready' }));
    const snapshot = await state.chains.list();
    const usageA = await state.nodes.usage('node-a');
    before.disconnect();

    const pid = server.pid;
    await server.kill();
    expect(() => process.kill(pid ?? -1, 0)).toThrow(); // really gone
    await server.start();

    const after = connect();
    try {
      const restored = createStateStore(after);
      expect(await restored.chains.list()).toEqual(snapshot);
      expect((await restored.chains.get('ccl')).version).toBe(ready.version);
      expect(await restored.nodes.usage('node-a')).toEqual(usageA);
      expect((await restored.nodes.list()).map((n) => n.name)).toEqual(['node-a', 'node-b']);
      // The unique indexes came back too.
      await expect(restored.chains.create(specOf(season8Entries()[0]))).rejects.toMatchObject({
        name: 'ConflictError',
      });
      // Scripts are reloaded transparently (the script cache did not survive).
      expect(await restored.placement.release('ccl')).toBe(true);
    } finally {
      after.disconnect();
    }
  });
});

import { ConflictError, CorruptStateError, NotFoundError, ValidationError } from '@nn/orchestrator-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStateStore, type StateStore } from './state-store.js';
import { nodeInput, season8Entries, specOf } from './testing/fixtures.js';
import { type TestRedis, testRedis } from './testing/redis.js';

let t: TestRedis;
let state: StateStore;

beforeEach(() => {
  t = testRedis();
  state = createStateStore(t.redis, { prefix: t.prefix });
});
afterEach(async () => {
  await t.cleanup();
});

describe('NodeRepository', () => {
  it('upserts, gets and lists nodes with capacity and labels', async () => {
    await state.nodes.upsert(nodeInput('node-b'));
    const a = await state.nodes.upsert({ ...nodeInput('node-a'), labels: { zone: 'eu' } });
    expect(a.schedulable).toBe(true);
    expect(await state.nodes.get('node-a')).toEqual(a);
    expect((await state.nodes.list()).map((n) => n.name)).toEqual(['node-a', 'node-b']);

    const drained = await state.nodes.upsert({ ...nodeInput('node-a'), schedulable: false });
    expect((await state.nodes.get('node-a')).schedulable).toBe(false);
    expect(drained.labels).toEqual({});
    expect(await state.nodes.list()).toHaveLength(2);
  });

  it('refuses bad specs and names', async () => {
    await expect(state.nodes.upsert({ ...nodeInput('node-a'), name: 'Node A' as 'x' })).rejects.toMatchObject(
      {
        name: 'ValidationError',
        field: 'name',
      },
    );
    await expect(state.nodes.get('../x')).rejects.toBeInstanceOf(ValidationError);
    await expect(state.nodes.get('node-z')).rejects.toMatchObject({ name: 'NotFoundError', field: 'node' });
    expect(await state.nodes.list()).toEqual([]);
  });

  it('removes only an empty node', async () => {
    await state.nodes.upsert(nodeInput('node-a'));
    await state.chains.create(specOf(season8Entries()[0]));
    await state.placement.place('ccl');
    await expect(state.nodes.remove('node-a')).rejects.toBeInstanceOf(ConflictError);
    await state.placement.release('ccl');
    expect(await state.nodes.remove('node-a')).toBe(true);
    expect(await state.nodes.remove('node-a')).toBe(false);
    await expect(state.nodes.get('node-a')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports a corrupt node record', async () => {
    await state.nodes.upsert(nodeInput('node-a'));
    await t.redis.set(state.keys.node('node-a'), JSON.stringify({ name: 'node-a' }));
    await expect(state.nodes.get('node-a')).rejects.toThrow(CorruptStateError);
    await expect(state.nodes.list()).rejects.toThrow(/capacity/);
  });
});

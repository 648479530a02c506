import { ConflictError, CorruptStateError, NotFoundError, ValidationError } from '@nn/orchestrator-core';
import { describe, expect, it } from 'vitest';
import { nodeInput, season8Entries, specOf } from './testing/fixtures.js';
import { useTestState } from './testing/state.js';

const ctx = useTestState();

describe('NodeRepository', () => {
  it('upserts, gets and lists nodes with capacity and labels', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-b'));
    const a = await ctx.state.nodes.upsert({ ...nodeInput('node-a'), labels: { zone: 'eu' } });
    expect(a.schedulable).toBe(true);
    expect(await ctx.state.nodes.get('node-a')).toEqual(a);
    expect((await ctx.state.nodes.list()).map((n) => n.name)).toEqual(['node-a', 'node-b']);

    const drained = await ctx.state.nodes.upsert({ ...nodeInput('node-a'), schedulable: false });
    expect((await ctx.state.nodes.get('node-a')).schedulable).toBe(false);
    expect(drained.labels).toEqual({});
    expect(await ctx.state.nodes.list()).toHaveLength(2);
  });

  it('refuses bad specs and names', async () => {
    await expect(
      ctx.state.nodes.upsert({ ...nodeInput('node-a'), name: 'Node A' as 'x' }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'name',
    });
    await expect(ctx.state.nodes.get('../x')).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.state.nodes.get('node-z')).rejects.toMatchObject({
      name: 'NotFoundError',
      field: 'node',
    });
    expect(await ctx.state.nodes.list()).toEqual([]);
  });

  it('removes only an empty node', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a'));
    await ctx.state.chains.create(specOf(season8Entries()[0]));
    await ctx.state.placement.place('ccl');
    await expect(ctx.state.nodes.remove('node-a')).rejects.toBeInstanceOf(ConflictError);
    await ctx.state.placement.release('ccl');
    expect(await ctx.state.nodes.remove('node-a')).toBe(true);
    expect(await ctx.state.nodes.remove('node-a')).toBe(false);
    await expect(ctx.state.nodes.get('node-a')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports a corrupt node record', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a'));
    await ctx.t.redis.set(ctx.state.keys.node('node-a'), JSON.stringify({ name: 'node-a' }));
    await expect(ctx.state.nodes.get('node-a')).rejects.toThrow(CorruptStateError);
    await expect(ctx.state.nodes.list()).rejects.toThrow(/capacity/);
  });
});

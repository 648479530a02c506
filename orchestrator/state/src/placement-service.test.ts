import { CapacityError, NotFoundError, PlacementError } from '@nn/orchestrator-core';
import { describe, expect, it } from 'vitest';
import { createStateStore } from './state-store.js';
import { nodeInput, season8Entries, specOf } from './testing/fixtures.js';
import { useTestState } from './testing/state.js';

/** The literal `${HOME}` dPoW writes in datadir values (kept out of template syntax on purpose). */
const HOME = ['$', '{HOME}'].join('');

const ctx = useTestState();

/** Two chains with identical consensus parameters, told apart only by datadir: the same derived p2p port. */
const twinA = (extra: Record<string, unknown> = {}) => specOf({ ac_name: 'TWIN', ac_supply: '777' }, extra);
const twinB = (extra: Record<string, unknown> = {}) =>
  specOf({ ac_name: 'TWIN', ac_supply: '777', datadir: `${HOME}/.komodo/TWIN_B` }, extra);

describe('PlacementService.place', () => {
  it('allocates the derived p2p port and a sidecar port, reserves resources, and is idempotent', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a'));
    const spec = specOf(season8Entries()[0]);
    await ctx.state.chains.create(spec);
    const first = await ctx.state.placement.place('ccl');
    expect(first.alreadyPlaced).toBe(false);
    expect(first.placement).toMatchObject({ node: 'node-a', p2pPort: 20848, sidecarPort: 60000 });
    const record = await ctx.state.chains.get('ccl');
    expect(record.status).toBe('placed');
    expect(record.placement).toEqual(first.placement);

    const usage = await ctx.state.nodes.usage('node-a');
    expect(usage).toMatchObject({
      memoryBytes: spec.resources.memoryBytes,
      diskBytes: spec.resources.diskBytes,
      chains: 1,
    });
    expect(usage.ports.get(20848)).toEqual({ chainId: 'ccl', kind: 'p2p' });
    expect(usage.ports.get(60000)).toEqual({ chainId: 'ccl', kind: 'sidecar' });

    const again = await ctx.state.placement.place(record);
    expect(again).toEqual({ chainId: 'ccl', placement: first.placement, alreadyPlaced: true });
    expect((await ctx.state.nodes.usage('node-a')).chains).toBe(1);
  });

  it('picks the least-loaded node', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a', 4));
    await ctx.state.nodes.upsert(nodeInput('node-b', 8));
    const placed: string[] = [];
    for (const entry of season8Entries().slice(0, 4)) {
      const spec = specOf(entry);
      await ctx.state.chains.create(spec);
      placed.push((await ctx.state.placement.place(spec.id)).placement.node);
    }
    // b is twice as big: a takes one chain for every two b takes.
    expect(placed).toEqual(['node-a', 'node-b', 'node-b', 'node-a']);
  });

  it('honours the requested node, and names the field when it is unknown', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a'));
    await ctx.state.nodes.upsert(nodeInput('node-b'));
    await ctx.state.chains.create(specOf(season8Entries()[0], { node: 'node-b' }));
    expect((await ctx.state.placement.place('ccl')).placement.node).toBe('node-b');

    await ctx.state.chains.create(specOf(season8Entries()[5], { node: 'node-z' }));
    const err = await ctx.state.placement.place('koin').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ field: 'node', message: 'node: node "node-z" does not exist' });
    expect((await ctx.state.chains.get('koin')).placement).toBeUndefined();
  });

  it('respects label constraints, exclusions and unschedulable nodes', async () => {
    await ctx.state.nodes.upsert({ ...nodeInput('node-a'), labels: { zone: 'eu' } });
    await ctx.state.nodes.upsert({ ...nodeInput('node-b'), labels: { zone: 'us' } });
    await ctx.state.nodes.upsert({ ...nodeInput('node-c'), labels: { zone: 'us' }, schedulable: false });
    const [ccl, koin, iln] = [season8Entries()[0], season8Entries()[5], season8Entries()[4]].map((e) =>
      specOf(e),
    );
    for (const s of [ccl, koin, iln]) if (s) await ctx.state.chains.create(s);
    expect(
      (await ctx.state.placement.place('ccl', undefined, { labels: { zone: 'us' } })).placement.node,
    ).toBe('node-b');
    expect(
      (await ctx.state.placement.place('koin', undefined, { excludeNodes: ['node-a' as never] })).placement
        .node,
    ).toBe('node-b');
    const err = await ctx.state.placement
      .place('iln', undefined, { labels: { zone: 'ap' } })
      .catch((e: unknown) => e as PlacementError);
    expect(err).toBeInstanceOf(PlacementError);
    expect(err).not.toBeInstanceOf(CapacityError);
    expect((err as PlacementError).refusals).toEqual([
      { node: 'node-a', reason: 'lacks label zone=ap' },
      { node: 'node-b', reason: 'lacks label zone=ap' },
      { node: 'node-c', reason: 'not schedulable (drained or lost)' },
    ]);
  });

  it('refuses a p2p port already published on the node', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a'));
    await ctx.state.chains.create(twinA());
    await ctx.state.chains.create(twinB());
    const a = await ctx.state.placement.place('twin');
    const err = await ctx.state.placement.place('twin-b').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlacementError);
    expect((err as Error).message).toContain(`p2p port ${a.placement.p2pPort} is already taken by twin/p2p`);
    expect((await ctx.state.chains.get('twin-b')).placement).toBeUndefined();
  });

  it('puts a clashing chain on another node when there is one', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a'));
    await ctx.state.nodes.upsert(nodeInput('node-b'));
    await ctx.state.chains.create(twinA());
    await ctx.state.chains.create(twinB());
    const a = await ctx.state.placement.place('twin');
    const b = await ctx.state.placement.place('twin-b');
    expect(b.placement.node).not.toBe(a.placement.node);
    expect(b.placement.p2pPort).toBe(a.placement.p2pPort);
  });

  it('refuses with a CapacityError listing each node when memory or disk is short', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a', 1));
    await ctx.state.nodes.upsert({
      ...nodeInput('node-b', 1),
      capacity: { ...nodeInput('node-b', 1).capacity, diskBytes: 1024 ** 3 },
    });
    await ctx.state.chains.create(specOf(season8Entries()[0]));
    await ctx.state.chains.create(specOf(season8Entries()[5]));
    expect((await ctx.state.placement.place('ccl')).placement.node).toBe('node-a');
    const err = (await ctx.state.placement.place('koin').then(
      () => undefined,
      (e: unknown) => e,
    )) as CapacityError;
    expect(err).toBeInstanceOf(CapacityError);
    expect(err.httpStatus).toBe(507);
    expect(err.refusals.map((r) => `${r.node}: ${r.reason.split(':')[0]}`).sort()).toEqual([
      'node-a: memory',
      'node-b: disk',
    ]);
  });

  it('refuses a derived port outside the node range or reserved on it', async () => {
    const spec = specOf(season8Entries()[6]); // PIRATE, 45452
    await ctx.state.nodes.upsert({
      ...nodeInput('node-a'),
      capacity: { ...nodeInput('node-a').capacity, p2pPorts: { from: 1024, to: 40000 } },
    });
    await ctx.state.nodes.upsert({
      ...nodeInput('node-b'),
      capacity: { ...nodeInput('node-b').capacity, reservedPorts: [45452] },
    });
    await ctx.state.chains.create(spec);
    await expect(ctx.state.placement.place('pirate')).rejects.toThrow(
      /node-a: p2p port 45452 is outside the node p2p range 1024-40000; node-b: p2p port 45452 is reserved/,
    );
  });

  it('runs out of sidecar ports as a capacity problem', async () => {
    const base = nodeInput('node-a', 100);
    await ctx.state.nodes.upsert({
      ...base,
      capacity: { ...base.capacity, sidecarPorts: { from: 60000, to: 60001 } },
    });
    const specs = season8Entries()
      .slice(0, 3)
      .map((e) => specOf(e));
    for (const s of specs) await ctx.state.chains.create(s);
    await ctx.state.placement.place(specs[0]?.id ?? '');
    await ctx.state.placement.place(specs[1]?.id ?? '');
    await expect(ctx.state.placement.place(specs[2]?.id ?? '')).rejects.toThrow(
      /no free sidecar port in 60000-60001/,
    );
  });

  it('treats NotFound for a chain id', async () => {
    await expect(ctx.state.placement.place('nope')).rejects.toMatchObject({ field: 'chainId' });
  });
});

describe('placement under concurrency', () => {
  it('never lets two clashing chains take the same port on one node', async () => {
    // Many rounds, each racing two placements from separate connections onto the only node.
    for (let round = 0; round < 10; round++) {
      await ctx.state.nodes.upsert(nodeInput('node-a'));
      await ctx.state.chains.create(twinA());
      await ctx.state.chains.create(twinB());
      const racers = [
        createStateStore(ctx.t.connect(), { prefix: ctx.t.prefix }),
        createStateStore(ctx.t.connect(), { prefix: ctx.t.prefix }),
      ];
      const results = await Promise.allSettled([
        racers[0]?.placement.place('twin'),
        racers[1]?.placement.place('twin-b'),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(PlacementError);
      const usage = await ctx.state.nodes.usage('node-a');
      expect([...usage.ports.values()].filter((o) => o.kind === 'p2p')).toHaveLength(1);
      expect(usage.chains).toBe(1);
      await ctx.state.chains.delete('twin');
      await ctx.state.chains.delete('twin-b');
      expect((await ctx.state.nodes.usage('node-a')).ports.size).toBe(0);
    }
  });

  it('places the same chain once when two workers race on it', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a'));
    await ctx.state.nodes.upsert(nodeInput('node-b'));
    await ctx.state.chains.create(specOf(season8Entries()[0]));
    const workers = Array.from({ length: 6 }, () =>
      createStateStore(ctx.t.connect(), { prefix: ctx.t.prefix }),
    );
    const decisions = await Promise.all(workers.map((w) => w.placement.place('ccl')));
    expect(decisions.filter((d) => !d.alreadyPlaced)).toHaveLength(1);
    expect(new Set(decisions.map((d) => JSON.stringify(d.placement))).size).toBe(1);
    const a = await ctx.state.nodes.usage('node-a');
    const b = await ctx.state.nodes.usage('node-b');
    expect(a.chains + b.chains).toBe(1);
  });

  it('spreads all Season 8 chains over two nodes with no duplicate port per node', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a'));
    await ctx.state.nodes.upsert(nodeInput('node-b'));
    const specs = season8Entries().map((e) => specOf(e));
    for (const s of specs) await ctx.state.chains.create(s);
    const workers = Array.from({ length: 4 }, () =>
      createStateStore(ctx.t.connect(), { prefix: ctx.t.prefix }),
    );
    await Promise.all(specs.map((s, i) => workers[i % workers.length]?.placement.place(s.id)));

    const chains = await ctx.state.chains.list();
    expect(chains.every((c) => c.placement !== undefined && c.placement.p2pPort === c.spec.ports.p2p)).toBe(
      true,
    );
    for (const node of ['node-a', 'node-b']) {
      const here = chains.filter((c) => c.placement?.node === node);
      expect(here.length).toBeGreaterThanOrEqual(4);
      const hostPorts = here.flatMap((c) => [c.placement?.p2pPort, c.placement?.sidecarPort]);
      expect(new Set(hostPorts).size).toBe(hostPorts.length);
      const usage = await ctx.state.nodes.usage(node);
      expect(usage.chains).toBe(here.length);
      expect(usage.ports.size).toBe(hostPorts.length);
    }
  });
});

describe('PlacementService.release', () => {
  it('gives back ports and reservation, and lets the chain be placed again', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a'));
    await ctx.state.chains.create(specOf(season8Entries()[0]));
    const first = await ctx.state.placement.place('ccl');
    expect(await ctx.state.placement.release('ccl')).toBe(true);
    expect(await ctx.state.placement.release('ccl')).toBe(false);
    const usage = await ctx.state.nodes.usage('node-a');
    expect(usage).toMatchObject({ memoryBytes: 0, diskBytes: 0, chains: 0 });
    expect(usage.ports.size).toBe(0);
    expect((await ctx.state.chains.get('ccl')).placement).toBeUndefined();
    const second = await ctx.state.placement.place('ccl');
    expect(second.placement.sidecarPort).toBe(first.placement.sidecarPort);
  });

  it('deleting a placed chain releases it in the same step', async () => {
    await ctx.state.nodes.upsert(nodeInput('node-a'));
    await ctx.state.chains.create(specOf(season8Entries()[0]));
    await ctx.state.placement.place('ccl');
    await ctx.state.chains.delete('ccl');
    const usage = await ctx.state.nodes.usage('node-a');
    expect(usage).toMatchObject({ memoryBytes: 0, diskBytes: 0, chains: 0 });
    expect(usage.ports.size).toBe(0);
  });
});

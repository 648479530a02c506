import { CapacityError, NotFoundError, PlacementError } from '@nn/orchestrator-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStateStore, type StateStore } from './state-store.js';
import { nodeInput, season8Entries, specOf } from './testing/fixtures.js';
import { type TestRedis, testRedis } from './testing/redis.js';

/** The literal `${HOME}` dPoW writes in datadir values (kept out of template syntax on purpose). */
const HOME = ['$', '{HOME}'].join('');

let t: TestRedis;
let state: StateStore;

beforeEach(() => {
  t = testRedis();
  state = createStateStore(t.redis, { prefix: t.prefix });
});
afterEach(async () => {
  await t.cleanup();
});

/** Two chains with identical consensus parameters, told apart only by datadir: the same derived p2p port. */
const twinA = (extra: Record<string, unknown> = {}) => specOf({ ac_name: 'TWIN', ac_supply: '777' }, extra);
const twinB = (extra: Record<string, unknown> = {}) =>
  specOf({ ac_name: 'TWIN', ac_supply: '777', datadir: `${HOME}/.komodo/TWIN_B` }, extra);

describe('PlacementService.place', () => {
  it('allocates the derived p2p port and a sidecar port, reserves resources, and is idempotent', async () => {
    await state.nodes.upsert(nodeInput('node-a'));
    const spec = specOf(season8Entries()[0]);
    await state.chains.create(spec);
    const first = await state.placement.place('ccl');
    expect(first.alreadyPlaced).toBe(false);
    expect(first.placement).toMatchObject({ node: 'node-a', p2pPort: 20848, sidecarPort: 60000 });
    const record = await state.chains.get('ccl');
    expect(record.status).toBe('placed');
    expect(record.placement).toEqual(first.placement);

    const usage = await state.nodes.usage('node-a');
    expect(usage).toMatchObject({
      memoryBytes: spec.resources.memoryBytes,
      diskBytes: spec.resources.diskBytes,
      chains: 1,
    });
    expect(usage.ports.get(20848)).toEqual({ chainId: 'ccl', kind: 'p2p' });
    expect(usage.ports.get(60000)).toEqual({ chainId: 'ccl', kind: 'sidecar' });

    const again = await state.placement.place(record);
    expect(again).toEqual({ chainId: 'ccl', placement: first.placement, alreadyPlaced: true });
    expect((await state.nodes.usage('node-a')).chains).toBe(1);
  });

  it('picks the least-loaded node', async () => {
    await state.nodes.upsert(nodeInput('node-a', 4));
    await state.nodes.upsert(nodeInput('node-b', 8));
    const placed: string[] = [];
    for (const entry of season8Entries().slice(0, 4)) {
      const spec = specOf(entry);
      await state.chains.create(spec);
      placed.push((await state.placement.place(spec.id)).placement.node);
    }
    // b is twice as big: a takes one chain for every two b takes.
    expect(placed).toEqual(['node-a', 'node-b', 'node-b', 'node-a']);
  });

  it('honours the requested node, and names the field when it is unknown', async () => {
    await state.nodes.upsert(nodeInput('node-a'));
    await state.nodes.upsert(nodeInput('node-b'));
    await state.chains.create(specOf(season8Entries()[0], { node: 'node-b' }));
    expect((await state.placement.place('ccl')).placement.node).toBe('node-b');

    await state.chains.create(specOf(season8Entries()[5], { node: 'node-z' }));
    const err = await state.placement.place('koin').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ field: 'node', message: 'node: node "node-z" does not exist' });
    expect((await state.chains.get('koin')).placement).toBeUndefined();
  });

  it('respects label constraints, exclusions and unschedulable nodes', async () => {
    await state.nodes.upsert({ ...nodeInput('node-a'), labels: { zone: 'eu' } });
    await state.nodes.upsert({ ...nodeInput('node-b'), labels: { zone: 'us' } });
    await state.nodes.upsert({ ...nodeInput('node-c'), labels: { zone: 'us' }, schedulable: false });
    const [ccl, koin, iln] = [season8Entries()[0], season8Entries()[5], season8Entries()[4]].map((e) =>
      specOf(e),
    );
    for (const s of [ccl, koin, iln]) if (s) await state.chains.create(s);
    expect((await state.placement.place('ccl', undefined, { labels: { zone: 'us' } })).placement.node).toBe(
      'node-b',
    );
    expect(
      (await state.placement.place('koin', undefined, { excludeNodes: ['node-a' as never] })).placement.node,
    ).toBe('node-b');
    const err = await state.placement
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
    await state.nodes.upsert(nodeInput('node-a'));
    await state.chains.create(twinA());
    await state.chains.create(twinB());
    const a = await state.placement.place('twin');
    const err = await state.placement.place('twin-b').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlacementError);
    expect((err as Error).message).toContain(`p2p port ${a.placement.p2pPort} is already taken by twin/p2p`);
    expect((await state.chains.get('twin-b')).placement).toBeUndefined();
  });

  it('puts a clashing chain on another node when there is one', async () => {
    await state.nodes.upsert(nodeInput('node-a'));
    await state.nodes.upsert(nodeInput('node-b'));
    await state.chains.create(twinA());
    await state.chains.create(twinB());
    const a = await state.placement.place('twin');
    const b = await state.placement.place('twin-b');
    expect(b.placement.node).not.toBe(a.placement.node);
    expect(b.placement.p2pPort).toBe(a.placement.p2pPort);
  });

  it('refuses with a CapacityError listing each node when memory or disk is short', async () => {
    await state.nodes.upsert(nodeInput('node-a', 1));
    await state.nodes.upsert({
      ...nodeInput('node-b', 1),
      capacity: { ...nodeInput('node-b', 1).capacity, diskBytes: 1024 ** 3 },
    });
    await state.chains.create(specOf(season8Entries()[0]));
    await state.chains.create(specOf(season8Entries()[5]));
    expect((await state.placement.place('ccl')).placement.node).toBe('node-a');
    const err = (await state.placement.place('koin').then(
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
    await state.nodes.upsert({
      ...nodeInput('node-a'),
      capacity: { ...nodeInput('node-a').capacity, p2pPorts: { from: 1024, to: 40000 } },
    });
    await state.nodes.upsert({
      ...nodeInput('node-b'),
      capacity: { ...nodeInput('node-b').capacity, reservedPorts: [45452] },
    });
    await state.chains.create(spec);
    await expect(state.placement.place('pirate')).rejects.toThrow(
      /node-a: p2p port 45452 is outside the node p2p range 1024-40000; node-b: p2p port 45452 is reserved/,
    );
  });

  it('runs out of sidecar ports as a capacity problem', async () => {
    const base = nodeInput('node-a', 100);
    await state.nodes.upsert({
      ...base,
      capacity: { ...base.capacity, sidecarPorts: { from: 60000, to: 60001 } },
    });
    const specs = season8Entries()
      .slice(0, 3)
      .map((e) => specOf(e));
    for (const s of specs) await state.chains.create(s);
    await state.placement.place(specs[0]?.id ?? '');
    await state.placement.place(specs[1]?.id ?? '');
    await expect(state.placement.place(specs[2]?.id ?? '')).rejects.toThrow(
      /no free sidecar port in 60000-60001/,
    );
  });

  it('treats NotFound for a chain id', async () => {
    await expect(state.placement.place('nope')).rejects.toMatchObject({ field: 'chainId' });
  });
});

describe('placement under concurrency', () => {
  it('never lets two clashing chains take the same port on one node', async () => {
    // Many rounds, each racing two placements from separate connections onto the only node.
    for (let round = 0; round < 10; round++) {
      await state.nodes.upsert(nodeInput('node-a'));
      await state.chains.create(twinA());
      await state.chains.create(twinB());
      const racers = [
        createStateStore(t.connect(), { prefix: t.prefix }),
        createStateStore(t.connect(), { prefix: t.prefix }),
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
      const usage = await state.nodes.usage('node-a');
      expect([...usage.ports.values()].filter((o) => o.kind === 'p2p')).toHaveLength(1);
      expect(usage.chains).toBe(1);
      await state.chains.delete('twin');
      await state.chains.delete('twin-b');
      expect((await state.nodes.usage('node-a')).ports.size).toBe(0);
    }
  });

  it('places the same chain once when two workers race on it', async () => {
    await state.nodes.upsert(nodeInput('node-a'));
    await state.nodes.upsert(nodeInput('node-b'));
    await state.chains.create(specOf(season8Entries()[0]));
    const workers = Array.from({ length: 6 }, () => createStateStore(t.connect(), { prefix: t.prefix }));
    const decisions = await Promise.all(workers.map((w) => w.placement.place('ccl')));
    expect(decisions.filter((d) => !d.alreadyPlaced)).toHaveLength(1);
    expect(new Set(decisions.map((d) => JSON.stringify(d.placement))).size).toBe(1);
    const a = await state.nodes.usage('node-a');
    const b = await state.nodes.usage('node-b');
    expect(a.chains + b.chains).toBe(1);
  });

  it('spreads all Season 8 chains over two nodes with no duplicate port per node', async () => {
    await state.nodes.upsert(nodeInput('node-a'));
    await state.nodes.upsert(nodeInput('node-b'));
    const specs = season8Entries().map((e) => specOf(e));
    for (const s of specs) await state.chains.create(s);
    const workers = Array.from({ length: 4 }, () => createStateStore(t.connect(), { prefix: t.prefix }));
    await Promise.all(specs.map((s, i) => workers[i % workers.length]?.placement.place(s.id)));

    const chains = await state.chains.list();
    expect(chains.every((c) => c.placement !== undefined && c.placement.p2pPort === c.spec.ports.p2p)).toBe(
      true,
    );
    for (const node of ['node-a', 'node-b']) {
      const here = chains.filter((c) => c.placement?.node === node);
      expect(here.length).toBeGreaterThanOrEqual(4);
      const hostPorts = here.flatMap((c) => [c.placement?.p2pPort, c.placement?.sidecarPort]);
      expect(new Set(hostPorts).size).toBe(hostPorts.length);
      const usage = await state.nodes.usage(node);
      expect(usage.chains).toBe(here.length);
      expect(usage.ports.size).toBe(hostPorts.length);
    }
  });
});

describe('PlacementService.release', () => {
  it('gives back ports and reservation, and lets the chain be placed again', async () => {
    await state.nodes.upsert(nodeInput('node-a'));
    await state.chains.create(specOf(season8Entries()[0]));
    const first = await state.placement.place('ccl');
    expect(await state.placement.release('ccl')).toBe(true);
    expect(await state.placement.release('ccl')).toBe(false);
    const usage = await state.nodes.usage('node-a');
    expect(usage).toMatchObject({ memoryBytes: 0, diskBytes: 0, chains: 0 });
    expect(usage.ports.size).toBe(0);
    expect((await state.chains.get('ccl')).placement).toBeUndefined();
    const second = await state.placement.place('ccl');
    expect(second.placement.sidecarPort).toBe(first.placement.sidecarPort);
  });

  it('deleting a placed chain releases it in the same step', async () => {
    await state.nodes.upsert(nodeInput('node-a'));
    await state.chains.create(specOf(season8Entries()[0]));
    await state.placement.place('ccl');
    await state.chains.delete('ccl');
    const usage = await state.nodes.usage('node-a');
    expect(usage).toMatchObject({ memoryBytes: 0, diskBytes: 0, chains: 0 });
    expect(usage.ports.size).toBe(0);
  });
});

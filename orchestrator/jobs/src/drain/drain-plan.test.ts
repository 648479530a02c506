import type { ChainId } from '@nn/orchestrator-core';
import { createStateStore, type StateStore } from '@nn/orchestrator-state';
import { nodeInput, season8Entries, specOf, type TestRedis, testRedis } from '@nn/orchestrator-state/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strandedReason } from './drain-plan.js';
import { currentDrainPlan, isLost, markLost, noteAway, setSchedulable, uncordon } from './node-marks.js';

// The drain's preflight against the real Redis: chains placed by the real placement script, then the
// plan asked of the state as the API and the jobs ask it.

let t: TestRedis;
let state: StateStore;
beforeEach(() => {
  t = testRedis();
  state = createStateStore(t.redis, { prefix: t.prefix });
});
afterEach(async () => {
  await t.cleanup();
});

const entries = season8Entries();
async function chainOn(node: string, i: number, extra: Record<string, unknown> = {}): Promise<ChainId> {
  const spec = specOf(entries[i], extra);
  await state.chains.create(spec);
  await state.placement.place(spec.id, [await state.nodes.get(node)]);
  return spec.id;
}

describe('planDrain (currentDrainPlan)', () => {
  it('fits every chain of the node onto the others, each fit taking its room for the next', async () => {
    for (const [name, chains] of [
      ['e1', 3],
      ['e2', 2],
      ['e3', 1],
    ] as const)
      await state.nodes.upsert(nodeInput(name, chains));
    const ids = [await chainOn('e1', 0), await chainOn('e1', 1), await chainOn('e1', 2)];
    const plan = await currentDrainPlan(state, undefined, 'e1');
    expect(plan.stranded).toEqual([]);
    expect(plan.moves.map((m) => m.chainId)).toEqual([...ids].sort());
    // Two fit on e2 and one on e3: no node gets more than its capacity.
    const per = (n: string) => plan.moves.filter((m) => m.to === n).length;
    expect([per('e2'), per('e3'), per('e1')]).toEqual([2, 1, 0]);
  });

  it('refuses with the reason per node when a chain has nowhere to go', async () => {
    await state.nodes.upsert(nodeInput('e1', 2));
    await state.nodes.upsert(nodeInput('e2', 1));
    await chainOn('e1', 0);
    await chainOn('e1', 1);
    const plan = await currentDrainPlan(state, undefined, 'e1');
    expect(plan.moves).toHaveLength(1);
    expect(plan.stranded).toHaveLength(1);
    expect(strandedReason(plan)).toMatch(/has nowhere to go \(e2: memory: \d+ of \d+ bytes reserved/);
  });

  it('never plans onto a cordoned node, and a pinned chain can go nowhere', async () => {
    await state.nodes.upsert(nodeInput('e1', 4));
    await state.nodes.upsert(nodeInput('e2', 4));
    const pinned = await chainOn('e1', 0, { node: 'e1' });
    await setSchedulable(state, 'e2', false);
    const cordoned = await currentDrainPlan(state, undefined, 'e1');
    expect(cordoned.stranded.map((s) => s.chainId)).toEqual([pinned]);
    expect(strandedReason(cordoned)).toContain('asked for node e1');
    await chainOn('e1', 1);
    await setSchedulable(state, 'e2', true);
    const plan = await currentDrainPlan(state, undefined, 'e1');
    expect(plan.moves.map((m) => m.to)).toEqual(['e2']);
    expect(plan.stranded.map((s) => s.chainId)).toEqual([pinned]);
  });

  it("refuses nodes whose p2p range or reserved ports leave out the chain's derived port", async () => {
    const p2p = specOf(entries[0]).ports.p2p;
    const base = nodeInput('e2', 4);
    await state.nodes.upsert(nodeInput('e1', 4));
    await state.nodes.upsert({ ...base, capacity: { ...base.capacity, reservedPorts: [p2p] } });
    await state.nodes.upsert({
      ...nodeInput('e3', 4),
      name: 'e3',
      capacity: { ...base.capacity, p2pPorts: { from: 1024, to: p2p - 1 } },
    });
    const id = await chainOn('e1', 0);
    const plan = await currentDrainPlan(state, undefined, 'e1');
    expect(plan.stranded.map((s) => s.chainId)).toEqual([id]);
    expect(strandedReason(plan)).toContain(`e2: p2p port ${p2p} is reserved on the node`);
    expect(strandedReason(plan)).toContain(
      `e3: p2p port ${p2p} is outside the node p2p range 1024-${p2p - 1}`,
    );
  });
});

describe('node marks', () => {
  it('keeps the first time a node was seen away, forgets it when it answers, and undrain clears all', async () => {
    await state.nodes.upsert(nodeInput('e1', 1));
    await state.nodes.upsert(nodeInput('e2', 1));
    const first = await noteAway(t.redis, state, new Set(['e2']), ['e1', 'e2'], 1_000);
    const later = await noteAway(t.redis, state, new Set(['e2']), ['e1', 'e2'], 5_000);
    expect([first.get('e2'), later.get('e2')]).toEqual([1_000, 1_000]);
    await noteAway(t.redis, state, new Set(), ['e1', 'e2'], 6_000);
    expect((await noteAway(t.redis, state, new Set(['e2']), ['e1', 'e2'], 7_000)).get('e2')).toBe(7_000);
    expect(await setSchedulable(state, 'e2', false)).toBe(true);
    expect(await setSchedulable(state, 'e2', false)).toBe(false);
    await markLost(t.redis, state, 'e2', 8_000);
    expect(await isLost(t.redis, state, 'e2')).toBe(true);
    expect(await uncordon(t.redis, state, 'e2')).toBe(true);
    expect(await isLost(t.redis, state, 'e2')).toBe(false);
    expect((await state.nodes.get('e2')).schedulable).toBe(true);
    expect((await noteAway(t.redis, state, new Set(['e2']), ['e1', 'e2'], 9_000)).get('e2')).toBe(9_000);
  });
});

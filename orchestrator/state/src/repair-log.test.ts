import { describe, expect, it } from 'vitest';
import { createStateStore } from './state-store.js';
import { useTestState } from './testing/state.js';

const ctx = useTestState();

describe('RepairLog (why and what was tried)', () => {
  it('counts the tries since the subject was last fine, keeps when it started, and forgets it once fine', async () => {
    const { repairs } = ctx.state;
    const next = new Date(Date.now() + 5_000);
    const first = await repairs.failed(
      { chain: 'ccl' },
      {
        lastError: 'register: Iguana: no answer',
        action: 'chain.add',
        waitingFor: 'iguana',
        nextRetryAt: next,
      },
    );
    expect(first).toMatchObject({
      attempts: 1,
      action: 'chain.add',
      waitingFor: 'iguana',
      nextRetryAt: next.toISOString(),
    });
    const second = await repairs.failed({ chain: 'ccl' }, { lastError: 'again', action: 'chain.add' });
    expect(second).toMatchObject({ attempts: 2, lastError: 'again', since: first.since });
    expect(second.waitingFor).toBeUndefined();
    await repairs.failed({ unit: 'iguana' }, { lastError: 'not ready', action: 'deploy' });
    expect([...(await repairs.all()).keys()].sort()).toEqual(['chain:ccl', 'unit:iguana']);
    // Another process sees the same records.
    const other = createStateStore(ctx.t.connect(), { prefix: ctx.t.prefix });
    expect(await other.repairs.get({ chain: 'ccl' })).toEqual(second);
    await repairs.clear({ chain: 'ccl' });
    expect(await repairs.get({ chain: 'ccl' })).toBeUndefined();
    expect(
      (await repairs.failed({ chain: 'ccl' }, { lastError: 'x', action: 'chain.restart' })).attempts,
    ).toBe(1);
  });

  it('keeps error texts short and refuses a subject that is not a name', async () => {
    const r = await ctx.state.repairs.failed(
      { chain: 'koin' },
      { lastError: 'e'.repeat(2_000), action: 'chain.add' },
    );
    expect(r.lastError).toHaveLength(500);
    await expect(ctx.state.repairs.get({ chain: '../x' })).rejects.toThrow(/bad chain name/);
  });
});

describe("NodeUnitsStore (the node's own units as desired state)", () => {
  it('stores the document, and gives its lease to one holder at a time', async () => {
    const { nodeUnits } = ctx.state;
    expect(await nodeUnits.getDesired()).toBeUndefined();
    await nodeUnits.putDesired({ version: 1, secretsDir: '/x', layout: { prefix: 'n-' } });
    expect(await nodeUnits.getDesired()).toEqual({ version: 1, secretsDir: '/x', layout: { prefix: 'n-' } });
    const workers = Array.from({ length: 4 }, () =>
      createStateStore(ctx.t.connect(), { prefix: ctx.t.prefix }),
    );
    const tokens = await Promise.all(workers.map((w, i) => w.nodeUnits.acquire(`w${i}`, 2_000)));
    const held = tokens.filter((t): t is string => t !== undefined);
    expect(held).toHaveLength(1);
    expect(await nodeUnits.renew(held[0] as string, 2_000)).toBe(true);
    expect(await nodeUnits.renew('someone/else', 2_000)).toBe(false);
    await nodeUnits.release('someone/else');
    expect(await nodeUnits.acquire('late', 2_000)).toBeUndefined();
    await nodeUnits.release(held[0] as string);
    expect(await nodeUnits.acquire('late', 2_000)).toMatch(/^late\//);
    await nodeUnits.deleteDesired();
    expect(await nodeUnits.getDesired()).toBeUndefined();
  });
});

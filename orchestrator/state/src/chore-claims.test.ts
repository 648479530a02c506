import { ValidationError } from '@nn/orchestrator-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStateStore, type StateStore } from './state-store.js';
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

describe('ChoreClaims', () => {
  it('gives a chore to exactly one of many processes per interval, then to one again', async () => {
    const workers = Array.from({ length: 6 }, () => createStateStore(t.connect(), { prefix: t.prefix }));
    const first = await Promise.all(workers.map((w) => w.chores.claim('split:kmd', 300)));
    expect(first.filter(Boolean)).toHaveLength(1);
    // Another coin is its own chore.
    expect(await state.chores.claim('split:ltc', 300)).toBe(true);
    expect(await state.chores.claim('split:kmd', 300)).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    const again = await Promise.all(workers.map((w) => w.chores.claim('split:kmd', 300)));
    expect(again.filter(Boolean)).toHaveLength(1);
  });

  it('refuses a bad chore name or interval, naming the field, and sets nothing', async () => {
    for (const [name, every, field] of [
      ['../x', 1000, 'chore'],
      ['split kmd', 1000, 'chore'],
      ['split:kmd', 10, 'everyMs'],
      ['split:kmd', 1.5e3 + 0.5, 'everyMs'],
    ] as const) {
      const err = await state.chores.claim(name, every).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).message).toContain(field);
    }
    expect(await t.redis.keys(`${t.prefix}*`)).toEqual([]);
  });
});

import { ValidationError } from '@nn/orchestrator-core';
import { describe, expect, it } from 'vitest';
import { createStateStore } from './state-store.js';
import { useTestState } from './testing/state.js';

const ctx = useTestState();

describe('ChoreClaims', () => {
  it('gives a chore to exactly one of many processes per interval, then to one again', async () => {
    const workers = Array.from({ length: 6 }, () =>
      createStateStore(ctx.t.connect(), { prefix: ctx.t.prefix }),
    );
    const first = await Promise.all(workers.map((w) => w.chores.claim('split:kmd', 300)));
    expect(first.filter(Boolean)).toHaveLength(1);
    // Another coin is its own chore.
    expect(await ctx.state.chores.claim('split:ltc', 300)).toBe(true);
    expect(await ctx.state.chores.claim('split:kmd', 300)).toBe(false);
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
      const err = await ctx.state.chores.claim(name, every).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).message).toContain(field);
    }
    expect(await ctx.t.redis.keys(`${ctx.t.prefix}*`)).toEqual([]);
  });
});

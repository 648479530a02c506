import { TransientError, ValidationError } from '@nn/orchestrator-core';
import { describe, expect, it } from 'vitest';
import { createStateStore } from './state-store.js';
import { useTestState } from './testing/state.js';

const ctx = useTestState();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ChainLeases', () => {
  it('lets one holder at a time take a chain', async () => {
    const others = Array.from({ length: 5 }, () =>
      createStateStore(ctx.t.connect(), { prefix: ctx.t.prefix }),
    );
    const leases = await Promise.all(
      others.map((o, i) => o.leases.acquire('ccl', { ttlMs: 10_000, owner: `job-${i}` })),
    );
    const held = leases.filter((l) => l !== undefined);
    expect(held).toHaveLength(1);
    expect(await ctx.state.leases.holder('ccl')).toBe(held[0]?.token);
    expect(held[0]?.token).toMatch(/^job-\d\/[0-9a-f-]{36}$/);
    // Another chain is independent.
    expect(await ctx.state.leases.acquire('koin', { ttlMs: 10_000 })).toBeDefined();
  });

  it('only the holder renews or releases', async () => {
    const lease = await ctx.state.leases.acquire('ccl', { ttlMs: 10_000, owner: 'job-1' });
    if (!lease) throw new Error('no lease');
    const forged = { ...lease, token: 'job-2/not-the-token' };
    expect(await ctx.state.leases.release(forged)).toBe(false);
    expect(await ctx.state.leases.renew(forged)).toBe(false);
    expect(await ctx.state.leases.renew(lease, 20_000)).toBe(true);
    expect(await ctx.t.redis.pttl(ctx.state.keys.lease('ccl'))).toBeGreaterThan(10_000);
    expect(await ctx.state.leases.release(lease)).toBe(true);
    expect(await ctx.state.leases.holder('ccl')).toBeUndefined();
    expect(await ctx.state.leases.release(lease)).toBe(false);
  });

  it('frees the chain when the TTL runs out (a dead worker), and the old token is then worthless', async () => {
    const dead = await ctx.state.leases.acquire('ccl', { ttlMs: 150 });
    if (!dead) throw new Error('no lease');
    expect(await ctx.state.leases.acquire('ccl', { ttlMs: 10_000 })).toBeUndefined();
    await sleep(300);
    const next = await ctx.state.leases.acquire('ccl', { ttlMs: 10_000 });
    expect(next).toBeDefined();
    expect(await ctx.state.leases.release(dead)).toBe(false);
    expect(await ctx.state.leases.holder('ccl')).toBe(next?.token);
  });

  it('withLease renews while working, releases after, and refuses a busy chain with a TransientError', async () => {
    const seen: string[] = [];
    const result = await ctx.state.leases.withLease(
      'ccl',
      { ttlMs: 200, owner: 'job-1' },
      async (lease, signal) => {
        await sleep(500); // longer than the TTL: only renewal keeps it
        expect(signal.aborted).toBe(false);
        expect(await ctx.state.leases.holder('ccl')).toBe(lease.token);
        const busy = await ctx.state.leases
          .withLease('ccl', { ttlMs: 200, owner: 'job-2' }, async () => 'ran')
          .catch((e: unknown) => e);
        expect(busy).toBeInstanceOf(TransientError);
        expect((busy as Error).message).toContain('job-1/');
        seen.push('worked');
        return 42;
      },
    );
    expect(result).toBe(42);
    expect(seen).toEqual(['worked']);
    expect(await ctx.state.leases.holder('ccl')).toBeUndefined();
  });

  it('withLease aborts the work when the lease is lost', async () => {
    const aborted = await ctx.state.leases.withLease('ccl', { ttlMs: 300 }, async (_lease, signal) => {
      await ctx.t.redis.set(ctx.state.keys.lease('ccl'), 'someone-else/x'); // stolen, e.g. after a long GC pause
      await sleep(400);
      return signal.aborted;
    });
    expect(aborted).toBe(true);
    expect(await ctx.state.leases.holder('ccl')).toBe('someone-else/x');
  });

  it('refuses bad input', async () => {
    await expect(ctx.state.leases.acquire('CCL', { ttlMs: 1000 })).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.state.leases.acquire('ccl', { ttlMs: 5 })).rejects.toMatchObject({ field: 'ttlMs' });
    await expect(ctx.state.leases.acquire('ccl', { ttlMs: 1000, owner: 'a b' })).rejects.toMatchObject({
      field: 'owner',
    });
  });
});

describe('PendingMarkers', () => {
  it('keeps at most one pending job per chain', async () => {
    expect(await ctx.state.pending.mark('ccl', 'reconcile-1', 60_000)).toBe(true);
    expect(await ctx.state.pending.mark('ccl', 'reconcile-2', 60_000)).toBe(false);
    expect(await ctx.state.pending.get('ccl')).toBe('reconcile-1');
    expect(await ctx.state.pending.clear('ccl', 'reconcile-2')).toBe(false);
    expect(await ctx.state.pending.clear('ccl', 'reconcile-1')).toBe(true);
    expect(await ctx.state.pending.mark('ccl', 'reconcile-3', 60_000)).toBe(true);
  });

  it('one active plus one pending: the reconcile pattern', async () => {
    // A worker starts job 1: it takes the lease and clears the marker.
    expect(await ctx.state.pending.mark('ccl', 'r1', 60_000)).toBe(true);
    const lease = await ctx.state.leases.acquire('ccl', { ttlMs: 10_000, owner: 'r1' });
    expect(lease).toBeDefined();
    await ctx.state.pending.clear('ccl', 'r1');
    // Events during job 1 queue exactly one follow-up.
    const marks = await Promise.all(
      ['r2', 'r3', 'r4'].map((id) => ctx.state.pending.mark('ccl', id, 60_000)),
    );
    expect(marks.filter(Boolean)).toHaveLength(1);
    // The follow-up cannot start while job 1 is active.
    expect(await ctx.state.leases.acquire('ccl', { ttlMs: 10_000, owner: 'r2' })).toBeUndefined();
  });
});

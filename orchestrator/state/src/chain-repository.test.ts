import { ConflictError, CorruptStateError, NotFoundError, ValidationError } from '@nn/orchestrator-core';
import { describe, expect, it } from 'vitest';
import { createStateStore } from './state-store.js';
import { season8Entries, specOf } from './testing/fixtures.js';
import { useTestState } from './testing/state.js';

/** The literal `${HOME}` dPoW writes in datadir values (kept out of template syntax on purpose). */
const HOME = ['$', '{HOME}'].join('');

const ctx = useTestState();

const ccl = () => specOf(season8Entries()[0]);

describe('ChainRepository', () => {
  it('creates every Season 8 chain with distinct identities, and lists them', async () => {
    const specs = season8Entries().map((e) => specOf(e));
    for (const spec of specs) await ctx.state.chains.create(spec);
    const listed = await ctx.state.chains.list();
    expect(listed.map((c) => c.spec.id)).toEqual(specs.map((s) => s.id).sort());
    expect(new Set(listed.map((c) => c.spec.identity.key)).size).toBe(specs.length);
    expect(listed.filter((c) => c.spec.identity.acName === 'GLEEC')).toHaveLength(2);
    for (const c of listed) {
      expect(c.status).toBe('requested');
      expect(c.version).toBe(1);
      expect(c.placement).toBeUndefined();
    }
    const old = await ctx.state.chains.findByIdentity(`GLEEC@${HOME}/.komodo/GLEEC_OLD`);
    expect(old?.spec.id).toBe('gleec-old');
  });

  it('refuses a duplicate identity, and leaves the first untouched', async () => {
    const first = await ctx.state.chains.create(ccl());
    const dup = specOf({ ...(season8Entries()[0] as object) }, { image: 'nn/devchain:9.9.9' });
    await expect(ctx.state.chains.create(dup)).rejects.toMatchObject({
      name: 'ConflictError',
      field: 'ac_name',
      message: expect.stringContaining(`CCL with datadir ${HOME}/.komodo/CCL already exists`),
    });
    expect(await ctx.state.chains.get('ccl')).toEqual(first);
    expect(await ctx.state.chains.list()).toHaveLength(1);
  });

  it('refuses a second chain that folds to the same id or data dir', async () => {
    await ctx.state.chains.create(specOf({ ac_name: 'ABC', ac_supply: '10' }));
    await expect(ctx.state.chains.create(specOf({ ac_name: 'abc', ac_supply: '10' }))).rejects.toThrow(
      /ac_name: chain id abc is already used/,
    );
    await expect(
      ctx.state.chains.create(specOf({ ac_name: 'XYZ', ac_supply: '10', datadir: `${HOME}/.komodo/ABC` })),
    ).rejects.toMatchObject({ field: 'datadir' });
    expect((await ctx.state.chains.list()).map((c) => c.spec.identity.acName)).toEqual(['ABC']);
  });

  it('gets by id, and NotFound / Validation for missing or hostile ids', async () => {
    await ctx.state.chains.create(ccl());
    expect((await ctx.state.chains.get('ccl')).spec.ports.p2p).toBe(20848);
    await expect(ctx.state.chains.get('koin')).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.state.chains.get('../ccl')).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.state.chains.get('*')).rejects.toMatchObject({ field: 'chainId' });
  });

  it('updates with optimistic concurrency', async () => {
    const created = await ctx.state.chains.create(ccl());
    const updated = await ctx.state.chains.update('ccl', created.version, {
      status: 'failed',
      statusReason: 'boom',
    });
    expect(updated).toMatchObject({ status: 'failed', statusReason: 'boom', version: created.version + 1 });
    await expect(ctx.state.chains.update('ccl', created.version, { status: 'ready' })).rejects.toMatchObject({
      name: 'ConflictError',
      field: 'version',
    });
    const cleared = await ctx.state.chains.update('ccl', updated.version, {
      status: 'ready',
      statusReason: null,
    });
    expect(cleared.statusReason).toBeUndefined();
    expect(cleared.status).toBe('ready');
  });

  it('changes the image inside the spec and refuses a bad one', async () => {
    const created = await ctx.state.chains.create(ccl());
    const upgraded = await ctx.state.chains.update('ccl', created.version, { image: 'nn/komodod:2651eaf' });
    expect(upgraded.spec.image).toBe('nn/komodod:2651eaf');
    expect(upgraded.spec.ports).toEqual(created.spec.ports);
    await expect(
      ctx.state.chains.update('ccl', upgraded.version, { image: 'bad image' }),
    ).rejects.toMatchObject({
      field: 'image',
    });
    await expect(
      ctx.state.chains.update('ccl', upgraded.version, { status: 'bogus' as 'ready' }),
    ).rejects.toMatchObject({
      field: 'status',
    });
  });

  it('mutate() retries lost races so concurrent writers all land', async () => {
    await ctx.state.chains.create(ccl());
    const writers = Array.from({ length: 8 }, (_, i) => {
      const other = createStateStore(ctx.t.connect(), { prefix: ctx.t.prefix });
      return other.chains.mutate('ccl', () => ({ statusReason: `writer ${i}` }), { attempts: 50 });
    });
    await Promise.all(writers);
    expect((await ctx.state.chains.get('ccl')).version).toBe(1 + writers.length);
  });

  it('plain update() loses a race with a ConflictError', async () => {
    const c = await ctx.state.chains.create(ccl());
    const results = await Promise.allSettled([
      ctx.state.chains.update('ccl', c.version, { status: 'placed' }),
      createStateStore(ctx.t.connect(), { prefix: ctx.t.prefix }).chains.update('ccl', c.version, {
        status: 'failed',
      }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(ConflictError);
  });

  it('deletes a chain with its indexes, so the identity can be created again', async () => {
    await ctx.state.chains.create(ccl());
    await ctx.state.pending.mark('ccl', 'job-1', 60_000);
    expect(await ctx.state.chains.delete('ccl')).toBe(true);
    expect(await ctx.state.chains.delete('ccl')).toBe(false);
    expect(await ctx.state.chains.find('ccl')).toBeUndefined();
    expect(await ctx.state.chains.findByIdentity(`CCL@${HOME}/.komodo/CCL`)).toBeUndefined();
    expect(await ctx.state.pending.get('ccl')).toBeUndefined();
    expect(await ctx.t.redis.keys(`${ctx.t.prefix}*`)).toEqual([]);
    await ctx.state.chains.create(ccl());
  });

  it('refuses a delete at a stale version', async () => {
    const c = await ctx.state.chains.create(ccl());
    await ctx.state.chains.update('ccl', c.version, { status: 'ready' });
    await expect(ctx.state.chains.delete('ccl', c.version)).rejects.toMatchObject({ field: 'version' });
    expect(await ctx.state.chains.delete('ccl', c.version + 1)).toBe(true);
  });

  it('reports corrupt data with the key and field', async () => {
    await ctx.state.chains.create(ccl());
    const key = ctx.state.keys.chain('ccl');
    await ctx.t.redis.hset(key, 'spec', '{not json');
    await expect(ctx.state.chains.get('ccl')).rejects.toThrow(CorruptStateError);
    await expect(ctx.state.chains.get('ccl')).rejects.toThrow(`${key}#spec: not JSON`);

    const spec = JSON.parse(JSON.stringify(ccl()));
    spec.ports.p2p = 1234; // a port the entry does not imply
    await ctx.t.redis.hset(key, 'spec', JSON.stringify(spec));
    await expect(ctx.state.chains.list()).rejects.toThrow(/spec\.ports: does not match the entry/);

    await ctx.t.redis.hset(key, 'spec', JSON.stringify(ccl()), 'status', 'dancing');
    await expect(ctx.state.chains.get('ccl')).rejects.toThrow(/status: must be one of/);

    await ctx.t.redis.hset(key, 'status', 'ready', 'version', 'x');
    await expect(ctx.state.chains.get('ccl')).rejects.toThrow(/version/);

    await ctx.t.redis.hset(key, 'version', '3', 'extra', '1');
    await expect(ctx.state.chains.get('ccl')).rejects.toThrow(`${key}#extra: unknown field`);
  });
});

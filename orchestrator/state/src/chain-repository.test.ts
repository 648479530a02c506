import { ConflictError, CorruptStateError, NotFoundError, ValidationError } from '@nn/orchestrator-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStateStore, type StateStore } from './state-store.js';
import { season8Entries, specOf } from './testing/fixtures.js';
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

const ccl = () => specOf(season8Entries()[0]);

describe('ChainRepository', () => {
  it('creates every Season 8 chain with distinct identities, and lists them', async () => {
    const specs = season8Entries().map((e) => specOf(e));
    for (const spec of specs) await state.chains.create(spec);
    const listed = await state.chains.list();
    expect(listed.map((c) => c.spec.id)).toEqual(specs.map((s) => s.id).sort());
    expect(new Set(listed.map((c) => c.spec.identity.key)).size).toBe(specs.length);
    expect(listed.filter((c) => c.spec.identity.acName === 'GLEEC')).toHaveLength(2);
    for (const c of listed) {
      expect(c.status).toBe('requested');
      expect(c.version).toBe(1);
      expect(c.placement).toBeUndefined();
    }
    const old = await state.chains.findByIdentity(`GLEEC@${HOME}/.komodo/GLEEC_OLD`);
    expect(old?.spec.id).toBe('gleec-old');
  });

  it('refuses a duplicate identity, and leaves the first untouched', async () => {
    const first = await state.chains.create(ccl());
    const dup = specOf({ ...(season8Entries()[0] as object) }, { image: 'nn/devchain:9.9.9' });
    await expect(state.chains.create(dup)).rejects.toMatchObject({
      name: 'ConflictError',
      field: 'ac_name',
      message: expect.stringContaining(`CCL with datadir ${HOME}/.komodo/CCL already exists`),
    });
    expect(await state.chains.get('ccl')).toEqual(first);
    expect(await state.chains.list()).toHaveLength(1);
  });

  it('refuses a second chain that folds to the same id or data dir', async () => {
    await state.chains.create(specOf({ ac_name: 'ABC', ac_supply: '10' }));
    await expect(state.chains.create(specOf({ ac_name: 'abc', ac_supply: '10' }))).rejects.toThrow(
      /ac_name: chain id abc is already used/,
    );
    await expect(
      state.chains.create(specOf({ ac_name: 'XYZ', ac_supply: '10', datadir: `${HOME}/.komodo/ABC` })),
    ).rejects.toMatchObject({ field: 'datadir' });
    expect((await state.chains.list()).map((c) => c.spec.identity.acName)).toEqual(['ABC']);
  });

  it('gets by id, and NotFound / Validation for missing or hostile ids', async () => {
    await state.chains.create(ccl());
    expect((await state.chains.get('ccl')).spec.ports.p2p).toBe(20848);
    await expect(state.chains.get('koin')).rejects.toBeInstanceOf(NotFoundError);
    await expect(state.chains.get('../ccl')).rejects.toBeInstanceOf(ValidationError);
    await expect(state.chains.get('*')).rejects.toMatchObject({ field: 'chainId' });
  });

  it('updates with optimistic concurrency', async () => {
    const created = await state.chains.create(ccl());
    const updated = await state.chains.update('ccl', created.version, {
      status: 'failed',
      statusReason: 'boom',
    });
    expect(updated).toMatchObject({ status: 'failed', statusReason: 'boom', version: created.version + 1 });
    await expect(state.chains.update('ccl', created.version, { status: 'ready' })).rejects.toMatchObject({
      name: 'ConflictError',
      field: 'version',
    });
    const cleared = await state.chains.update('ccl', updated.version, {
      status: 'ready',
      statusReason: null,
    });
    expect(cleared.statusReason).toBeUndefined();
    expect(cleared.status).toBe('ready');
  });

  it('changes the image inside the spec and refuses a bad one', async () => {
    const created = await state.chains.create(ccl());
    const upgraded = await state.chains.update('ccl', created.version, { image: 'nn/komodod:2651eaf' });
    expect(upgraded.spec.image).toBe('nn/komodod:2651eaf');
    expect(upgraded.spec.ports).toEqual(created.spec.ports);
    await expect(state.chains.update('ccl', upgraded.version, { image: 'bad image' })).rejects.toMatchObject({
      field: 'image',
    });
    await expect(
      state.chains.update('ccl', upgraded.version, { status: 'bogus' as 'ready' }),
    ).rejects.toMatchObject({
      field: 'status',
    });
  });

  it('mutate() retries lost races so concurrent writers all land', async () => {
    await state.chains.create(ccl());
    const writers = Array.from({ length: 8 }, (_, i) => {
      const other = createStateStore(t.connect(), { prefix: t.prefix });
      return other.chains.mutate('ccl', () => ({ statusReason: `writer ${i}` }), { attempts: 50 });
    });
    await Promise.all(writers);
    expect((await state.chains.get('ccl')).version).toBe(1 + writers.length);
  });

  it('plain update() loses a race with a ConflictError', async () => {
    const c = await state.chains.create(ccl());
    const results = await Promise.allSettled([
      state.chains.update('ccl', c.version, { status: 'placed' }),
      createStateStore(t.connect(), { prefix: t.prefix }).chains.update('ccl', c.version, {
        status: 'failed',
      }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(ConflictError);
  });

  it('deletes a chain with its indexes, so the identity can be created again', async () => {
    await state.chains.create(ccl());
    await state.pending.mark('ccl', 'job-1', 60_000);
    expect(await state.chains.delete('ccl')).toBe(true);
    expect(await state.chains.delete('ccl')).toBe(false);
    expect(await state.chains.find('ccl')).toBeUndefined();
    expect(await state.chains.findByIdentity(`CCL@${HOME}/.komodo/CCL`)).toBeUndefined();
    expect(await state.pending.get('ccl')).toBeUndefined();
    expect(await t.redis.keys(`${t.prefix}*`)).toEqual([]);
    await state.chains.create(ccl());
  });

  it('refuses a delete at a stale version', async () => {
    const c = await state.chains.create(ccl());
    await state.chains.update('ccl', c.version, { status: 'ready' });
    await expect(state.chains.delete('ccl', c.version)).rejects.toMatchObject({ field: 'version' });
    expect(await state.chains.delete('ccl', c.version + 1)).toBe(true);
  });

  it('reports corrupt data with the key and field', async () => {
    await state.chains.create(ccl());
    const key = state.keys.chain('ccl');
    await t.redis.hset(key, 'spec', '{not json');
    await expect(state.chains.get('ccl')).rejects.toThrow(CorruptStateError);
    await expect(state.chains.get('ccl')).rejects.toThrow(`${key}#spec: not JSON`);

    const spec = JSON.parse(JSON.stringify(ccl()));
    spec.ports.p2p = 1234; // a port the entry does not imply
    await t.redis.hset(key, 'spec', JSON.stringify(spec));
    await expect(state.chains.list()).rejects.toThrow(/spec\.ports: does not match the entry/);

    await t.redis.hset(key, 'spec', JSON.stringify(ccl()), 'status', 'dancing');
    await expect(state.chains.get('ccl')).rejects.toThrow(/status: must be one of/);

    await t.redis.hset(key, 'status', 'ready', 'version', 'x');
    await expect(state.chains.get('ccl')).rejects.toThrow(/version/);

    await t.redis.hset(key, 'version', '3', 'extra', '1');
    await expect(state.chains.get('ccl')).rejects.toThrow(`${key}#extra: unknown field`);
  });
});

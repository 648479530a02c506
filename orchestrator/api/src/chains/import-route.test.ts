import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiHarness,
  apiHarness,
  bearer,
  nodeInput,
  OPERATOR_KEY,
  season8Entries,
} from '../testing/harness.js';

// POST /v1/chains/import with the real Season 8 assetchains.json: every entry is checked before anything
// is written, and a clash found while writing undoes what the request wrote.

const HOME = ['$', '{HOME}'].join('');
const op = bearer(OPERATOR_KEY);

let h: ApiHarness;
beforeEach(async () => {
  h = await apiHarness();
});
afterEach(async () => {
  await h.close();
});

async function expectNothingCreated(run: () => Promise<void>): Promise<void> {
  const keys = await h.countKeys();
  const jobs = await h.countJobs();
  await run();
  expect(await h.countKeys()).toBe(keys);
  expect(await h.countJobs()).toBe(jobs);
}

const importBody = (payload: unknown) =>
  h.app.inject({ method: 'POST', url: '/v1/chains/import', headers: op, payload: payload as object });

describe('POST /v1/chains/import', () => {
  it('queues one chain.add per Season 8 chain (11 chains → 11 jobs)', async () => {
    const entries = season8Entries();
    expect(entries).toHaveLength(11);
    const res = await importBody(entries);
    expect(res.statusCode).toBe(202);
    const { jobs } = res.json() as { jobs: Array<{ jobId: string; chainId: string; name: string }> };
    expect(jobs).toHaveLength(11);
    expect(new Set(jobs.map((j) => j.jobId)).size).toBe(11);
    expect(jobs.every((j) => j.name === 'chain.add')).toBe(true);
    expect(await h.queue.queue.count()).toBe(11);
    const chains = await h.state.chains.list();
    expect(chains.map((c) => c.spec.id).sort()).toEqual(jobs.map((j) => j.chainId).sort());
    expect(chains.every((c) => c.status === 'requested')).toBe(true);
    // both GLEEC chains (same ac_name, different data dirs) are there
    expect(
      chains
        .filter((c) => c.spec.identity.acName === 'GLEEC')
        .map((c) => c.spec.id)
        .sort(),
    ).toEqual(['gleec', 'gleec-old']);
  });

  it('takes the object form with a node and an image for every chain', async () => {
    await h.state.nodes.upsert(nodeInput('node-a', 20));
    const res = await importBody({
      entries: season8Entries().slice(0, 3),
      node: 'node-a',
      image: 'nn/komodod:0.8.1',
    });
    expect(res.statusCode).toBe(202);
    for (const c of await h.state.chains.list()) {
      expect(c.spec.requestedNode).toBe('node-a');
      expect(c.spec.image).toBe('nn/komodod:0.8.1');
    }
  });

  it('refuses the whole file when one entry is bad, naming it, and creates nothing', async () => {
    const entries = season8Entries();
    (entries[5] as Record<string, unknown>).ac_supply = 5;
    await expectNothingCreated(async () => {
      const res = await importBody(entries);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation', field: 'entries[5].ac_supply' });
    });
    const unknown = season8Entries();
    (unknown[2] as Record<string, unknown>).rpcport = '1234';
    await expectNothingCreated(async () => {
      const res = await importBody({ entries: unknown });
      expect(res.json().error.field).toBe('entries[2].rpcport');
    });
  });

  it('refuses what is not an array of entries, an empty one, and unknown keys beside entries', async () => {
    await expectNothingCreated(async () => {
      const cases: Array<[unknown, string]> = [
        [[], 'entries'],
        [{ entries: season8Entries(), force: true }, 'force'],
        [{ entries: 'CCL' }, 'entries'],
        [{ entries: season8Entries(), node: 'node-z' }, 'node'],
      ];
      for (const [body, field] of cases) {
        const res = await importBody(body);
        expect(res.statusCode, JSON.stringify(body).slice(0, 60)).toBe(field === 'node' ? 404 : 400);
        expect(res.json().error.field).toBe(field);
      }
    });
  });

  it('refuses two entries that are the same chain (409 naming the second)', async () => {
    const entries = season8Entries();
    entries.splice(4, 0, { ...(entries[1] as object) });
    await expectNothingCreated(async () => {
      const res = await importBody(entries);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'conflict', field: 'entries[4].ac_name' });
    });
    const sameDir = [
      { ac_name: 'AAA', ac_supply: '10', datadir: `${HOME}/.komodo/SHARED` },
      { ac_name: 'BBB', ac_supply: '10', datadir: `${HOME}/.komodo/SHARED` },
    ];
    await expectNothingCreated(async () => {
      const res = await importBody(sameDir);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.field).toBe('entries[1].datadir');
    });
  });

  it('refuses a chain that already exists, and undoes its own writes on a clash found while writing', async () => {
    await importBody([{ ac_name: 'ABC', ac_supply: '10' }]);
    const entries = season8Entries();
    entries.push({ ac_name: 'ABC', ac_supply: '10' });
    await expectNothingCreated(async () => {
      const res = await importBody(entries);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ field: 'entries[11].ac_name' });
    });
    // XYZ wants ABC's data dir: only the store's atomic create sees that, after CCL and CLC were written.
    const clash = [
      ...season8Entries().slice(0, 2),
      { ac_name: 'XYZ', ac_supply: '10', datadir: `${HOME}/.komodo/ABC` },
    ];
    await expectNothingCreated(async () => {
      const res = await importBody(clash);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'conflict', field: 'entries[2].datadir' });
    });
    expect((await h.state.chains.list()).map((c) => c.spec.id)).toEqual(['abc']);
  });

  it('refuses an import over the body limit with 413', async () => {
    await h.close();
    h = await apiHarness({ bodyLimit: 2048 });
    await expectNothingCreated(async () => {
      const res = await importBody(season8Entries());
      expect(res.statusCode).toBe(413);
    });
  });
});

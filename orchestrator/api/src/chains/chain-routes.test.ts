import { type AddressInfo, connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiHarness,
  apiHarness,
  bearer,
  nodeInput,
  OPERATOR_KEY,
  season8Entries,
  VIEWER_KEY,
} from '../testing/harness.js';

// POST/GET/DELETE on /v1/chains over the real Redis and queues. Every refused request is checked to have
// created nothing: the keys under the test's prefix (state and BullMQ) and the queued jobs are counted
// before and after.

/** The literal `${HOME}` dPoW writes in datadir values (kept out of template syntax on purpose). */
const HOME = ['$', '{HOME}'].join('');
const op = bearer(OPERATOR_KEY);

let h: ApiHarness;
beforeEach(async () => {
  h = await apiHarness({ bodyLimit: 16 * 1024 });
  await h.state.nodes.upsert(nodeInput('node-a'));
});
afterEach(async () => {
  await h.close();
});

async function expectNothingCreated(run: () => Promise<void>): Promise<void> {
  const keys = await h.countKeys();
  const jobs = await h.countJobs();
  const chains = (await h.state.chains.list()).length;
  await run();
  expect(await h.countKeys()).toBe(keys);
  expect(await h.countJobs()).toBe(jobs);
  expect((await h.state.chains.list()).length).toBe(chains);
}

/** Sends bytes as they are (fetch and inject both normalise `..` away) and returns the whole reply. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

const ccl = () => season8Entries()[0] as Record<string, unknown>;

describe('POST /v1/chains', () => {
  it('stores the chain as requested and queues chain.add with ids only', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/chains',
      headers: op,
      payload: { entry: ccl() },
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({
      name: 'chain.add',
      chainId: 'ccl',
      jobId: expect.stringMatching(/^add-ccl-/),
    });
    const record = await h.state.chains.get('ccl');
    expect(record.status).toBe('requested');
    expect(record.spec.image).toBe('nn/devchain:0.1.0');
    const job = await h.queue.queue.getJob(body.jobId);
    expect(job?.name).toBe('chain.add');
    expect(job?.data).toEqual({
      chainId: 'ccl',
      requestedBy: expect.stringMatching(/^operator:[0-9a-f]{12}$/),
    });
  });

  it('takes a node and an image', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/chains',
      headers: op,
      payload: { entry: ccl(), node: 'node-a', image: 'registry.local:5000/nn/komodod:0.8.1' },
    });
    expect(res.statusCode).toBe(202);
    const record = await h.state.chains.get('ccl');
    expect(record.spec.requestedNode).toBe('node-a');
    expect(record.spec.image).toBe('registry.local:5000/nn/komodod:0.8.1');
  });

  const badBodies: Array<[string, () => unknown, string, RegExp]> = [
    [
      'an unknown key in the entry',
      () => ({ entry: { ...ccl(), rpcpassword: 'x' } }),
      'entry.rpcpassword',
      /unknown key/,
    ],
    [
      'a number not given as a string',
      () => ({ entry: { ...ccl(), ac_supply: 200000000 } }),
      'entry.ac_supply',
      /must be a string/,
    ],
    ['a hostile name', () => ({ entry: { ac_name: 'A;rm -rf /', ac_supply: '10' } }), 'entry.ac_name', /./],
    [
      'a name with a path',
      () => ({ entry: { ac_name: '../../etc', ac_supply: '10' } }),
      'entry.ac_name',
      /./,
    ],
    [
      'a data dir outside ~/.komodo',
      () => ({ entry: { ...ccl(), datadir: `${HOME}/../../etc` } }),
      'entry.datadir',
      /komodo/,
    ],
    [
      'an addnode that is not a list',
      () => ({ entry: { ...ccl(), addnode: '1.2.3.4' } }),
      'entry.addnode',
      /list/,
    ],
    ['no entry', () => ({ node: 'node-a' }), 'entry', /./],
    ['an unknown top-level key', () => ({ entry: ccl(), rpcuser: 'x' }), 'rpcuser', /unknown key/],
    ['a bad node name', () => ({ entry: ccl(), node: 'Node_A' }), 'node', /a-z/],
    ['a bad image', () => ({ entry: ccl(), image: 'nn/devchain:1;reboot' }), 'image', /image reference/],
    [
      'resources too small',
      () => ({ entry: ccl(), resources: { memoryBytes: 1, diskBytes: 1 } }),
      'resources.memoryBytes',
      /at least/,
    ],
  ];
  for (const [what, body, field, reason] of badBodies)
    it(`refuses ${what} with 400 naming ${field}, creating nothing`, async () => {
      await expectNothingCreated(async () => {
        const res = await h.app.inject({
          method: 'POST',
          url: '/v1/chains',
          headers: op,
          payload: body() as object,
        });
        expect(res.statusCode).toBe(400);
        const { error } = res.json();
        expect(error.code).toBe('validation');
        expect(error.field).toBe(field);
        expect(error.message).toMatch(reason);
      });
    });

  it('refuses a body that is not JSON (400 naming body) or not JSON at all (415)', async () => {
    await expectNothingCreated(async () => {
      const broken = await h.app.inject({
        method: 'POST',
        url: '/v1/chains',
        headers: { ...op, 'content-type': 'application/json' },
        payload: '{"entry": {"ac_name": "CCL"',
      });
      expect(broken.statusCode).toBe(400);
      expect(broken.json().error).toMatchObject({ code: 'validation', field: 'body' });
      const text = await h.app.inject({
        method: 'POST',
        url: '/v1/chains',
        headers: { ...op, 'content-type': 'text/plain' },
        payload: 'ac_name=CCL',
      });
      expect(text.statusCode).toBe(415);
      expect(text.json().error.code).toBe('unsupported_media_type');
    });
  });

  it('refuses an unknown node with 404 naming node', async () => {
    await expectNothingCreated(async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/chains',
        headers: op,
        payload: { entry: ccl(), node: 'node-z' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({
        code: 'not_found',
        field: 'node',
        message: expect.stringMatching(/node-z/),
      });
    });
  });

  it('refuses a p2p port already taken on the requested node with 409', async () => {
    // Another chain holds CCL's derived p2p port on node-a (the allocation table placement writes).
    const { ports } = (await import('@nn/orchestrator-core')).deriveChain(
      (await import('@nn/orchestrator-core')).chainEntrySchema.parse(ccl()),
    );
    await h.redis.hset(h.state.keys.nodePorts('node-a'), String(ports.p2p), 'other/p2p');
    await expectNothingCreated(async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/chains',
        headers: op,
        payload: { entry: ccl(), node: 'node-a' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({
        code: 'conflict',
        field: 'node',
        message: expect.stringContaining(`p2p port ${ports.p2p}`),
      });
    });
  });

  it('refuses a duplicate identity with 409 naming entry.ac_name and keeps the first', async () => {
    const first = await h.app.inject({
      method: 'POST',
      url: '/v1/chains',
      headers: op,
      payload: { entry: ccl() },
    });
    expect(first.statusCode).toBe(202);
    const before = await h.state.chains.get('ccl');
    await expectNothingCreated(async () => {
      const dup = await h.app.inject({
        method: 'POST',
        url: '/v1/chains',
        headers: op,
        payload: { entry: ccl(), image: 'nn/devchain:9.9.9' },
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error).toMatchObject({ code: 'conflict', field: 'entry.ac_name' });
      // same id by case folding: a different identity, the same chain id
      const folded = await h.app.inject({
        method: 'POST',
        url: '/v1/chains',
        headers: op,
        payload: { entry: { ...ccl(), ac_name: 'ccl' } },
      });
      expect(folded.statusCode).toBe(409);
      expect(folded.json().error.field).toBe('entry.ac_name');
    });
    expect(await h.state.chains.get('ccl')).toEqual(before);
  });

  it('refuses a body over the limit with 413', async () => {
    await expectNothingCreated(async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/chains',
        headers: op,
        payload: { entry: { ...ccl(), addnode: Array.from({ length: 2000 }, () => '10.0.0.1') } },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatchObject({
        code: 'payload_too_large',
        message: expect.stringMatching(/16384/),
      });
    });
  });
});

describe('GET /v1/chains', () => {
  it('lists summaries and shows one chain in detail', async () => {
    await h.app.inject({ method: 'POST', url: '/v1/chains', headers: op, payload: { entry: ccl() } });
    const list = await h.app.inject({ method: 'GET', url: '/v1/chains', headers: bearer(VIEWER_KEY) });
    expect(list.json().chains).toEqual([
      expect.objectContaining({
        id: 'ccl',
        acName: 'CCL',
        status: 'requested',
        datadir: `${HOME}/.komodo/CCL`,
      }),
    ]);
    const one = await h.app.inject({ method: 'GET', url: '/v1/chains/ccl', headers: bearer(VIEWER_KEY) });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: 'ccl', entry: ccl(), ports: { p2p: expect.any(Number) } });
    const none = await h.app.inject({ method: 'GET', url: '/v1/chains/nope', headers: bearer(VIEWER_KEY) });
    expect(none.statusCode).toBe(404);
    expect(none.json().error).toMatchObject({ code: 'not_found', field: 'id' });
  });
});

describe('hostile ids in paths', () => {
  // Refused by the guard for every id route (traversal, shell characters, NUL, bad encoding).
  const hostile = [
    '..%2F..%2Fetc%2Fpasswd',
    'ccl%3Brm%20-rf%20%2F',
    '%24(reboot)',
    'ccl%60id%60',
    'ccl%7Cid',
    'ccl%00',
    '%E0%A4%A',
  ];
  const routes = (id: string) =>
    [
      ['GET', `/v1/chains/${id}`],
      ['DELETE', `/v1/chains/${id}`],
      ['POST', `/v1/chains/${id}/restart`],
      ['POST', `/v1/chains/${id}/upgrade`],
      ['GET', `/v1/jobs/${id}`],
    ] as const;
  const expect400 = async (pairs: ReadonlyArray<readonly [string, string]>) => {
    for (const [method, url] of pairs) {
      const res = await h.app.inject({
        method: method as 'GET' | 'POST' | 'DELETE',
        url,
        headers: op,
        ...(method === 'POST' ? { payload: {} } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(res.json().error, `${method} ${url}`).toMatchObject({ code: 'validation', field: 'id' });
    }
  };
  for (const id of hostile)
    it(`answers 400 naming id for ${id}, creating nothing`, async () => {
      await h.app.inject({ method: 'POST', url: '/v1/chains', headers: op, payload: { entry: ccl() } });
      await expectNothingCreated(() => expect400(routes(id)));
    });

  it('answers 400 for raw traversal sent over a socket (no client-side normalisation)', async () => {
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const address = h.app.server.address() as AddressInfo;
    for (const path of [
      '/v1/chains/../../etc/passwd',
      '/v1/chains/%2E%2E',
      '/v1/jobs/./x',
      '/v1/chains/ccl/../../x/restart',
    ]) {
      const reply = await rawRequest(
        address.port,
        `DELETE ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${OPERATOR_KEY}\r\nConnection: close\r\n\r\n`,
      );
      expect(reply, path).toMatch(/^HTTP\/1.1 400/);
      expect(reply, path).toContain('"field":"id"');
    }
  });

  it('answers 400 naming id for what is no chain id (upper case, too long, leading digit)', async () => {
    await expectNothingCreated(async () => {
      for (const id of ['CCL', 'a'.repeat(64), '1ccl', 'ccl-'])
        await expect400(routes(id).filter(([, url]) => url.startsWith('/v1/chains/')));
    });
  });
});

describe('DELETE /v1/chains/:id and restart', () => {
  it('queue chain.remove (keepData) and chain.restart once per chain while pending', async () => {
    await h.app.inject({ method: 'POST', url: '/v1/chains', headers: op, payload: { entry: ccl() } });
    const rm = await h.app.inject({ method: 'DELETE', url: '/v1/chains/ccl?keepData=true', headers: op });
    expect(rm.statusCode).toBe(202);
    expect(rm.json()).toMatchObject({ name: 'chain.remove', chainId: 'ccl' });
    const job = await h.queue.queue.getJob(rm.json().jobId);
    expect(job?.name).toBe('chain.remove');
    expect(job?.data).toMatchObject({ chainId: 'ccl', keepData: true });
    const again = await h.app.inject({ method: 'DELETE', url: '/v1/chains/ccl', headers: op });
    expect(again.json().jobId).toBe(rm.json().jobId);
    const removals = (await h.queue.queue.getJobs(['waiting'])).filter((j) => j.name === 'chain.remove');
    expect(removals).toHaveLength(1);

    const restart = await h.app.inject({
      method: 'POST',
      url: '/v1/chains/ccl/restart',
      headers: op,
      payload: { reason: 'operator asked' },
    });
    expect(restart.statusCode).toBe(202);
    const rjob = await h.queue.queue.getJob(restart.json().jobId);
    expect(rjob?.name).toBe('chain.restart');
    expect(rjob?.data).toMatchObject({ chainId: 'ccl', reason: 'operator asked' });

    const upgrade = await h.app.inject({
      method: 'POST',
      url: '/v1/chains/ccl/upgrade',
      headers: op,
      payload: { image: 'nn/devchain:0.2.0' },
    });
    expect(upgrade.statusCode).toBe(202);
    expect(upgrade.json()).toMatchObject({ name: 'chain.upgrade', chainId: 'ccl' });
    const ujob = await h.queue.queue.getJob(upgrade.json().jobId);
    expect(ujob?.data).toMatchObject({ chainId: 'ccl', image: 'nn/devchain:0.2.0' });
    const twice = await h.app.inject({
      method: 'POST',
      url: '/v1/chains/ccl/upgrade',
      headers: op,
      payload: { image: 'nn/devchain:0.2.0' },
    });
    expect(twice.json().jobId).toBe(upgrade.json().jobId);
  });

  it('refuses bad queries and bodies naming the field, and unknown chains with 404', async () => {
    await h.app.inject({ method: 'POST', url: '/v1/chains', headers: op, payload: { entry: ccl() } });
    await expectNothingCreated(async () => {
      const cases: Array<[string, string, object | undefined, number, string]> = [
        ['DELETE', '/v1/chains/ccl?keepData=maybe', undefined, 400, 'keepData'],
        ['DELETE', '/v1/chains/ccl?force=true', undefined, 400, 'force'],
        ['DELETE', '/v1/chains/nope', undefined, 404, 'id'],
        ['POST', '/v1/chains/ccl/restart', { reason: 'x', rpcpassword: 'y' }, 400, 'rpcpassword'],
        ['POST', '/v1/chains/ccl/restart', { reason: 'tab\there' }, 400, 'reason'],
        ['POST', '/v1/chains/nope/restart', {}, 404, 'id'],
        ['POST', '/v1/chains/ccl/upgrade', {}, 400, 'image'],
        ['POST', '/v1/chains/ccl/upgrade', { image: 'nn/devchain:1;rm -rf /' }, 400, 'image'],
        ['POST', '/v1/chains/ccl/upgrade', { image: 'nn/devchain:1', force: true }, 400, 'force'],
        ['POST', '/v1/chains/nope/upgrade', { image: 'nn/devchain:1' }, 404, 'id'],
      ];
      for (const [method, url, payload, status, field] of cases) {
        const res = await h.app.inject({
          method: method as 'POST' | 'DELETE',
          url,
          headers: op,
          ...(payload ? { payload } : {}),
        });
        expect(res.statusCode, `${method} ${url}`).toBe(status);
        expect(res.json().error.field, `${method} ${url}`).toBe(field);
      }
    });
  });
});

describe('GET /v1/nodes', () => {
  it('lists nodes with their capacity and usage', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/nodes', headers: bearer(VIEWER_KEY) });
    expect(res.json().nodes).toEqual([
      expect.objectContaining({
        name: 'node-a',
        schedulable: true,
        usage: { memoryBytes: 0, diskBytes: 0, chains: 0, ports: 0 },
      }),
    ]);
  });
});

describe('POST /v1/chains/:id/wallet-reset and /consolidate', () => {
  const post = (url: string, payload: object = {}, headers = op) =>
    h.app.inject({ method: 'POST', url, headers, payload });

  it('queue the chore once per chain while it is pending, for a ready chain only', async () => {
    await post('/v1/chains', { entry: ccl() });
    // Requested, not ready: refused with 409 naming the chain's state, nothing queued.
    await expectNothingCreated(async () => {
      for (const url of ['/v1/chains/ccl/wallet-reset', '/v1/chains/ccl/consolidate']) {
        const res = await post(url);
        expect(res.statusCode, url).toBe(409);
        expect(res.json().error.message, url).toMatch(/chain "ccl" is requested: .* needs a ready chain/);
      }
    });
    await h.state.chains.mutate('ccl' as never, () => ({ status: 'ready' }));
    const reset = await post('/v1/chains/ccl/wallet-reset');
    expect(reset.statusCode).toBe(202);
    expect(reset.json()).toMatchObject({ name: 'chain.wallet-reset', chainId: 'ccl' });
    const job = await h.queue.queue.getJob(reset.json().jobId);
    expect(job?.data).toEqual({ chainId: 'ccl', trigger: 'manual', requestedBy: expect.any(String) });
    expect((await post('/v1/chains/ccl/wallet-reset')).json().jobId).toBe(reset.json().jobId);
    const merge = await post('/v1/chains/ccl/consolidate');
    expect(merge.statusCode).toBe(202);
    expect(merge.json()).toMatchObject({ name: 'chain.consolidate', chainId: 'ccl' });
    expect((await post('/v1/chains/ccl/consolidate')).json().jobId).toBe(merge.json().jobId);
  });

  it('refuses a chain whose live status says it is not synced, and bad input, creating nothing', async () => {
    await post('/v1/chains', { entry: ccl() });
    await h.state.chains.mutate('ccl' as never, () => ({ status: 'ready' }));
    await h.state.live.put({ chain: 'ccl' }, { synced: false, blocks: 10, headers: 900 }, 60_000);
    await expectNothingCreated(async () => {
      const cases: Array<[string, object, number, string]> = [
        ['/v1/chains/ccl/wallet-reset', {}, 409, 'id'],
        ['/v1/chains/ccl/wallet-reset', { force: true }, 400, 'force'],
        ['/v1/chains/ccl/consolidate', { rpcpassword: 'x' }, 400, 'rpcpassword'],
        ['/v1/chains/nope/wallet-reset', {}, 404, 'id'],
        ['/v1/chains/nope/consolidate', {}, 404, 'id'],
      ];
      for (const [url, payload, status, field] of cases) {
        const res = await post(url, payload);
        expect(res.statusCode, url).toBe(status);
        expect(res.json().error.field, url).toBe(field);
      }
      // A viewer may not start a chore.
      expect((await post('/v1/chains/ccl/consolidate', {}, bearer(VIEWER_KEY))).statusCode).toBe(403);
    });
  });
});

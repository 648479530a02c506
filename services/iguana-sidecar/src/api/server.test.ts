import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeChainSidecar } from '../testing/fake-chain-sidecar.js';
import {
  eventually,
  freePort,
  type Harness,
  harness,
  OPERATOR,
  VIEWER,
  writeSecret,
} from '../testing/harness.js';

let h: Harness | undefined;
const extra: FakeChainSidecar[] = [];
afterEach(async () => {
  for (const c of extra.splice(0)) await c.close();
  await h?.cleanup();
  h = undefined;
});

async function api(
  path: string,
  opts: { method?: string; token?: string; body?: unknown; raw?: string } = {},
) {
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const res = await fetch(`${h?.url}${path}`, {
    method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body,
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // metrics are text
  }
  return { status: res.status, json, text };
}

async function started(raw: Record<string, unknown> = {}): Promise<Harness> {
  h = await harness({ raw, level: 'silent' });
  await h.start();
  await eventually(() => (h?.sidecar?.driver.ready().ready ? true : undefined));
  return h;
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

describe('health and readiness', () => {
  it('healthz always; readyz 503 until Iguana answers and the sequence ran', async () => {
    h = await harness({ level: 'silent' });
    await h.iguana.stop();
    await h.start();
    expect((await api('/healthz')).json).toEqual({ ok: true });
    await eventually(() => (h?.sidecar?.driver.iguanaState().up === false ? true : undefined));
    const r = await api('/readyz');
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ ready: false, reason: 'iguana unreachable' });
    await h.iguana.restart();
    await eventually(async () => ((await api('/readyz')).status === 200 ? true : undefined));
  });
});

describe('GET /v1/status', () => {
  it('needs a token; shows per coin registration, dpow, last notarisation, UTXOs and activity', async () => {
    await started();
    expect((await api('/v1/status')).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const { KMD, LTC, IGSTEST1, IGSTEST2 } = h?.chains ?? {};
    if (!KMD || !LTC || !IGSTEST1 || !IGSTEST2) throw new Error('chains');
    Object.assign(KMD, { notarized: 990, notarizedTime: now - 25 * 3600, notaryUtxos: 3 });
    Object.assign(IGSTEST1, { notarized: 50, notarizedTime: now - 3600, notaryUtxos: 40 });
    Object.assign(IGSTEST2, { notarized: 20, notarizedTime: now - 3 * 3600, notaryUtxos: 12 });
    Object.assign(LTC, { notarized: 0, notaryUtxos: 25 });
    const r = await api('/v1/status', { token: VIEWER });
    expect(r.status).toBe(200);
    expect(r.json.iguana).toMatchObject({
      up: true,
      sequenceDone: true,
      restartsDetected: 0,
      lastError: null,
    });
    const coins = r.json.coins as Array<Record<string, unknown>>;
    const by = (n: string) => coins.find((c) => c.name === n);
    expect(coins.map((c) => c.name)).toEqual(['KMD', 'LTC', 'IGSTEST1', 'IGSTEST2']);
    expect(by('KMD')).toMatchObject({
      registered: true,
      dpowActive: true,
      lastNotarisedHeight: 990,
      status: 'inactive',
      notaryUtxos: 3,
    });
    expect(by('IGSTEST1')).toMatchObject({
      lastNotarisedHeight: 50,
      lastNotarisedTime: now - 3600,
      status: 'active',
      notaryUtxos: 40,
    });
    expect(by('IGSTEST1')?.secondsSinceNotarisation).toBeGreaterThanOrEqual(3600);
    expect(by('IGSTEST2')).toMatchObject({ status: 'irregular', notaryUtxos: 12 });
    expect(by('LTC')).toMatchObject({
      role: 'destination',
      registered: true,
      dpowActive: false,
      status: null,
      lastNotarisedHeight: null,
      notaryUtxos: 25,
    });
  });

  it('a chain sidecar that does not answer shows as unreachable with the reason', async () => {
    await started();
    await h?.chains.IGSTEST2?.close();
    const r = await api('/v1/status', { token: VIEWER });
    const c = (r.json.coins as Array<Record<string, unknown>>).find((x) => x.name === 'IGSTEST2');
    expect(c).toMatchObject({ chain: 'unreachable', status: 'inactive' });
    expect(String(c?.lastError)).toMatch(/^status: IGSTEST2 chain sidecar: status: unreachable/);
  });
});

describe('POST /v1/coins and DELETE /v1/coins/:name', () => {
  async function newChain(name: string) {
    const chain = await new FakeChainSidecar(name, `token-of-${name}-0123456789`).start();
    extra.push(chain);
    const tokenFile = writeSecret(`${h?.dir}/secrets/${name}-token`, `token-of-${name}-0123456789`);
    return {
      kind: 'assetchain',
      assetchain: { ac_name: name, ac_supply: '777' },
      upstream: chain.url,
      tokenFile,
      rpcPort: await freePort(),
      freq: 10,
    };
  }

  it('adds an assetchain at runtime: bridge, addcoin, dpow with its freq', async () => {
    await started();
    const body = await newChain('IGSRUN');
    expect((await api('/v1/coins', { token: VIEWER, body })).status).toBe(403);
    const r = await api('/v1/coins', { token: OPERATOR, body });
    expect(r.status).toBe(201);
    expect(r.json.coin).toMatchObject({ name: 'IGSRUN', registered: true, dpowActive: true, runtime: true });
    expect(h?.iguana.calls.find((c) => c.method === 'dpow' && c.subject === 'IGSRUN')?.body.freq).toBe(10);
    expect(existsSync(`${h?.home}/.komodo/IGSRUN/IGSRUN.conf`)).toBe(true);
    expect(await portOpen(body.rpcPort)).toBe(true);
    const again = await api('/v1/coins', { token: OPERATOR, body });
    expect(again).toMatchObject({ status: 409, json: { field: 'name' } });
  });

  it('rejects bad input naming the field, and changes nothing', async () => {
    await started();
    const good = await newChain('IGSBAD');
    const cases: Array<[unknown, number, string]> = [
      [{ ...good, upstream: undefined }, 400, 'upstream'],
      [{ ...good, assetchain: { ac_name: 'IGSBAD', ac_supply: 'many' } }, 400, 'assetchain.ac_supply'],
      [
        { kind: 'ltc', upstream: good.upstream, tokenFile: good.tokenFile, rpcPort: good.rpcPort },
        400,
        'kind',
      ],
      [{ ...good, freq: 0 }, 400, 'freq'],
      [{ ...good, rpcPort: h?.cfg.coins[0]?.rpcPort }, 409, 'rpcPort'],
      [{ ...good, surprise: true }, 400, ''],
    ];
    for (const [body, status, field] of cases) {
      const r = await api('/v1/coins', { token: OPERATOR, body });
      expect(r.status, JSON.stringify(r.json)).toBe(status);
      if (field) expect(r.json.field).toBe(field);
    }
    expect((await api('/v1/coins', { token: OPERATOR, raw: '{"kind": ' })).status).toBe(400);
    expect(h?.iguana.calls.filter((c) => c.subject === 'IGSBAD')).toEqual([]);
    expect(await portOpen(good.rpcPort)).toBe(false);
    const s = await api('/v1/status', { token: VIEWER });
    expect((s.json.coins as unknown[]).length).toBe(4);
  });

  it('a coin Iguana refuses is not kept (bridge closed, conf removed) and the reply says why', async () => {
    await started();
    const body = await newChain('IGSREF');
    h?.iguana.addcoinRefused.add('IGSREF');
    const r = await api('/v1/coins', { token: OPERATOR, body });
    expect(r).toMatchObject({
      status: 502,
      json: { error: 'iguana refused the coin: addcoin: error adding coin' },
    });
    expect(await portOpen(body.rpcPort)).toBe(false);
    expect(existsSync(`${h?.home}/.komodo/IGSREF/IGSREF.conf`)).toBe(false);
    const s = await api('/v1/status', { token: VIEWER });
    expect((s.json.coins as Array<{ name: string }>).map((c) => c.name)).not.toContain('IGSREF');
  });

  it('a coin added while Iguana is down is accepted (202) and registered when Iguana is back', async () => {
    await started();
    const body = await newChain('IGSLATE');
    const fake = h?.iguana;
    if (!fake) throw new Error('no fake');
    await fake.stop();
    await eventually(() => (h?.sidecar?.driver.iguanaState().up === false ? true : undefined));
    const r = await api('/v1/coins', { token: OPERATOR, body });
    expect(r.status).toBe(202);
    expect(r.json.coin).toMatchObject({ name: 'IGSLATE', registered: false });
    await fake.restart();
    await eventually(() => (fake.dpowCoins().includes('IGSLATE') ? true : undefined));
  });

  it('keeps runtime coins in the state file, so a restarted sidecar bridges and registers them again', async () => {
    h = await harness({ level: 'silent' });
    const stateFile = `${h.dir}/state/coins.json`;
    (h.cfg as { stateFile?: string }).stateFile = stateFile;
    await h.start();
    await eventually(() => (h?.sidecar?.driver.ready().ready ? true : undefined));
    const body = await newChain('IGSKEEP');
    expect((await api('/v1/coins', { token: OPERATOR, body })).status).toBe(201);
    await h.sidecar?.close();
    await h.start();
    await eventually(() => (h?.sidecar?.driver.ready().ready ? true : undefined));
    const s = await api('/v1/status', { token: VIEWER });
    expect(
      (s.json.coins as Array<{ name: string; runtime: boolean }>).find((c) => c.name === 'IGSKEEP'),
    ).toMatchObject({
      runtime: true,
      registered: true,
    });
    expect(await portOpen(body.rpcPort)).toBe(true);
    expect((await api('/v1/coins/IGSKEEP', { method: 'DELETE', token: OPERATOR })).status).toBe(200);
    await h.sidecar?.close();
    await h.start();
    const again = await api('/v1/status', { token: VIEWER });
    expect((again.json.coins as Array<{ name: string }>).map((c) => c.name)).not.toContain('IGSKEEP');
  });

  it('DELETE stops bridging and forgets the coin; Iguana keeps it until it restarts, and the reply says so', async () => {
    await started();
    const body = await newChain('IGSDEL');
    expect((await api('/v1/coins', { token: OPERATOR, body })).status).toBe(201);
    expect((await api('/v1/coins/IGSDEL', { method: 'DELETE', token: VIEWER })).status).toBe(403);
    const r = await api('/v1/coins/IGSDEL', { method: 'DELETE', token: OPERATOR });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: 'IGSDEL', pendingIguanaRestart: true });
    expect(String(r.json.note)).toMatch(
      /Iguana has no removecoin: IGSDEL stays registered .* until Iguana restarts/,
    );
    expect(await portOpen(body.rpcPort)).toBe(false);
    expect(h?.iguana.registered()).toContain('IGSDEL');
    const s = await api('/v1/status', { token: VIEWER });
    expect((s.json.coins as Array<{ name: string }>).map((c) => c.name)).not.toContain('IGSDEL');
    expect(s.json.removed).toMatchObject([{ name: 'IGSDEL', pendingIguanaRestart: true }]);
    // After an Iguana restart the coin is gone from Iguana too and nothing is pending.
    await h?.iguana.restart();
    await eventually(() =>
      h?.sidecar?.driver.iguanaState().restartsDetected === 1 && h.sidecar.driver.ready().ready
        ? true
        : undefined,
    );
    expect(h?.iguana.registered()).not.toContain('IGSDEL');
    expect((await api('/v1/status', { token: VIEWER })).json.removed).toEqual([]);
    expect((await api('/v1/coins/IGSDEL', { method: 'DELETE', token: OPERATOR })).status).toBe(404);
    expect((await api('/v1/coins/KMD', { method: 'DELETE', token: OPERATOR })).status).toBe(409);
    expect((await api('/v1/coins/bad%20name', { method: 'DELETE', token: OPERATOR })).json.field).toBe(
      'name',
    );
  });
});

describe('POST /v1/coins/:name/split', () => {
  it('asks Iguana for splitfunds of 10000-sat outputs and returns its reply', async () => {
    await started();
    expect((await api('/v1/coins/KMD/split', { token: VIEWER, body: { duplicates: 20 } })).status).toBe(403);
    const bad = await api('/v1/coins/KMD/split', { token: OPERATOR, body: { duplicates: 0 } });
    expect(bad).toMatchObject({ status: 400, json: { field: 'duplicates' } });
    expect((await api('/v1/coins/KMD/split', { token: OPERATOR, body: { duplicates: '5' } })).status).toBe(
      400,
    );
    expect((await api('/v1/coins/NOPE/split', { token: OPERATOR, body: { duplicates: 5 } })).status).toBe(
      404,
    );
    const r = await api('/v1/coins/IGSTEST1/split', { token: OPERATOR, body: { duplicates: 25 } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ coin: 'IGSTEST1', completed: true });
    expect(r.json.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(h?.iguana.calls.at(-1)?.body).toEqual({
      coin: 'IGSTEST1',
      agent: 'iguana',
      method: 'splitfunds',
      satoshis: '10000',
      sendflag: 1,
      duplicates: 25,
    });
    if (h) h.iguana.splitFails = true;
    const failed = await api('/v1/coins/IGSTEST1/split', { token: OPERATOR, body: { duplicates: 25 } });
    expect(failed).toMatchObject({
      status: 502,
      json: { error: 'splitfunds: couldnt create duplicates tx' },
    });
  });
});

describe('limits and metrics', () => {
  it('refuses an oversized body with 413 and counts requests per token', async () => {
    await started({ maxBodyBytes: 1024, rateLimitPerMinute: 5 });
    const big = await api('/v1/coins', { token: OPERATOR, raw: JSON.stringify({ pad: 'x'.repeat(5000) }) });
    expect(big.status).toBe(413);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api('/v1/status', { token: VIEWER })).status);
    expect(statuses.at(-1)).toBe(429);
  });

  it('/metrics shows Iguana and per-coin gauges', async () => {
    await started();
    const m = await api('/metrics');
    expect(m.text).toMatch(/^nn_iguana_up 1$/m);
    expect(m.text).toMatch(/^nn_iguana_sequence_done 1$/m);
    expect(m.text).toMatch(/^nn_iguana_coin_registered\{coin="IGSTEST2"\} 1$/m);
    expect(m.text).toMatch(/^nn_iguana_coin_dpow_active\{coin="KMD"\} 1$/m);
    expect(m.text).toMatch(/^nn_iguana_calls_total\{method="dpow",outcome="ok"\} 3$/m);
  });
});

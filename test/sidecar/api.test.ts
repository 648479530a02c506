import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeWif,
  generatePrivateKey,
  KMD_PREFIXES,
  keyPairFromPrivateKey,
  p2pkhAddress,
  toHex,
} from '@nn/chain-crypto';
import type { RunningSidecar } from '@nn/chain-sidecar';
import { eventually } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DevchainPool } from '../helpers/devchain-process.js';
import {
  type CountingProxy,
  callVia,
  closeSidecars,
  http,
  newTokens,
  prepareKmdHome,
  sidecarRpc,
  startCountingProxy,
  startKmd,
  startTestSidecar,
  testConfig,
  writeSecret,
} from '../helpers/sidecar-process.js';

// The chain sidecar in front of a real KMD devchain process: probes, the normalised status, the RPC
// gateway's allowlist (and proof that the daemon never sees what it refuses), Prometheus metrics.
const pool = new DevchainPool();
const sidecars: RunningSidecar[] = [];
let proxy: CountingProxy | undefined;
afterEach(async () => {
  await closeSidecars(sidecars);
  await proxy?.close();
  proxy = undefined;
  await pool.cleanup();
});

describe('sidecar probes', () => {
  it('/healthz 200 always; /readyz 503 while refused, 503 during -28 warm-up, then 200', async () => {
    // The sidecar comes up before its daemon: the conf is there, the port refuses.
    const { home, conf, args } = await prepareKmdHome(pool, ['-devwarmup=3']);
    const { url } = await startTestSidecar(
      testConfig({ flavour: 'komodo', chain: 'KMD', daemon: { conf } }),
      newTokens('probe'),
      sidecars,
    );
    expect((await http(`${url}/healthz`)).status).toBe(200);
    const refused = await http(`${url}/readyz`);
    expect(refused.status).toBe(503);
    expect(refused.json).toEqual({ ready: false, reason: 'daemon RPC unreachable: connection refused' });

    const kmd = pool.start(args, home);
    await kmd.waitListening();
    const warm = await eventually(
      async () => {
        const r = await http(`${url}/readyz`);
        return r.status === 503 &&
          String((r.json as { reason: string }).reason).startsWith('daemon warming up: ')
          ? r
          : undefined;
      },
      10_000,
      '/readyz reporting the warm-up',
    );
    // The daemon's own -28 message (komodod-rpc.md §2), whatever step it is at.
    expect((warm.json as { reason: string }).reason).toMatch(
      /^daemon warming up: (RPC server started|[A-Z].*\.\.\.)$/,
    );
    expect((await http(`${url}/healthz`)).status).toBe(200);
    const ready = await eventually(
      async () => {
        const r = await http(`${url}/readyz`);
        return r.status === 200 ? r : undefined;
      },
      20_000,
      '/readyz 200 after the warm-up',
    );
    expect(ready.json).toEqual({ ready: true, reason: null });
  });
});

describe('sidecar /v1/status and /metrics', () => {
  it('reports chain, blocks, headers, synced, notarisation, balance, notary UTXOs, wallet size and version', async () => {
    const key = keyPairFromPrivateKey(generatePrivateKey());
    const pubkey = toHex(key.publicKey);
    const other = toHex(keyPairFromPrivateKey(generatePrivateKey()).publicKey);
    const wif = encodeWif(key.privateKey, KMD_PREFIXES.wif, true);
    const { kmd, conf, home } = await startKmd(pool, [`-pubkey=${pubkey}`]);
    await kmd.waitReady();
    expect(await kmd.call('importprivkey', [wif, '', false])).toBe(p2pkhAddress(key.publicKey, KMD_PREFIXES));
    await kmd.call('generate', [101]);
    // Three notary-size P2PK outputs to our pubkey; outputs of another size or key do not count.
    for (let i = 0; i < 3; i++) await kmd.call('sendmany', ['', { [pubkey]: 0.0001, [other]: 0.0001 }]);
    await kmd.call('sendmany', ['', { [pubkey]: 0.0002 }]);
    await kmd.call('generate', [1]);
    const info = await kmd.call<{ blocks: number; balance: number; version: number; notarized: number }>(
      'getinfo',
    );

    const { url, tokens } = await startTestSidecar(
      testConfig({
        flavour: 'komodo',
        chain: 'KMD',
        daemon: { conf, datadir: join(home, '.komodo') },
        notaryPubkey: pubkey,
      }),
      newTokens('status'),
      sidecars,
    );
    expect((await http(`${url}/v1/status`)).status).toBe(401);
    const r = await http(`${url}/v1/status`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
    expect(r.status).toBe(200);
    const s = r.json as Record<string, unknown>;
    expect(s).toMatchObject({
      chain: 'KMD',
      flavour: 'komodo',
      rpc: 'ok',
      blocks: 102,
      headers: 102,
      synced: true,
      connections: 0,
      notarized: info.notarized,
      notarizedLag: 102 - info.notarized,
      balance: info.balance,
      notaryUtxos: 3,
      version: info.version,
    });
    expect(info.balance).toBeGreaterThan(0);
    expect(s.walletBytes).toBe(statSync(join(home, '.komodo', 'wallet.dat')).size);
    expect(s.walletBytes).toBeGreaterThan(0);

    const m = await http(`${url}/metrics`);
    expect(m.status).toBe(200);
    expect(m.headers['content-type']).toMatch(/^text\/plain/);
    expect(m.text).toMatch(/^# HELP nn_chain_blocks /m);
    expect(m.text).toMatch(/^# TYPE nn_chain_blocks gauge$/m);
    expect(m.text).toContain('nn_chain_blocks{chain="KMD"} 102');
    expect(m.text).toContain('nn_chain_notary_utxos{chain="KMD"} 3');
    expect(m.text).toContain('nn_chain_ready{chain="KMD"} 1');
    expect(m.text).toContain('nn_chain_rpc_up{chain="KMD"} 1');
    // The gateway's counters appear once used.
    await callVia(url, tokens.viewer, 'getblockcount');
    const m2 = await http(`${url}/metrics`);
    expect(m2.text).toContain(
      'nn_sidecar_rpc_requests_total{method="getblockcount",role="viewer",outcome="ok",chain="KMD"} 1',
    );
  });
});

describe('sidecar /v1/rpc gateway', () => {
  it('applies the role allowlist, and the daemon never sees a refused request', async () => {
    const { kmd, home, password } = await startKmd(pool);
    await kmd.waitReady();
    await kmd.call('generate', [101]);
    const to = await kmd.call<string>('getnewaddress');
    proxy = await startCountingProxy(kmd.target().url);
    const { url, tokens } = await startTestSidecar(
      testConfig({
        flavour: 'komodo',
        chain: 'KMD',
        daemon: {
          url: proxy.url,
          user: 'kmduser',
          passwordFile: writeSecret(join(home, 'secrets', 'rpcpassword'), password),
        },
        maxBodyBytes: 4096,
      }),
      newTokens('gw'),
      sidecars,
    );
    const p = proxy;
    const seen = () => p.bodies.length;
    const refused = async (token: string | undefined, body: string, status: number, message: RegExp) => {
      const before = seen();
      const r = await sidecarRpc(url, token, body);
      expect(r.status, body.slice(0, 80)).toBe(status);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      const j = r.json as { result: unknown; error: { code: number; message: string } };
      expect(j.result).toBeNull();
      expect(j.error.message).toMatch(message);
      expect(seen(), `daemon saw ${body.slice(0, 80)}`).toBe(before);
      return j;
    };

    // Allowed calls reach the daemon (one request each).
    let before = seen();
    const info = await callVia<{ name: string; blocks: number }>(url, tokens.viewer, 'getinfo');
    expect(info).toMatchObject({ name: 'KMD', blocks: 101 });
    expect(seen()).toBe(before + 1);
    before = seen();
    const txid = await callVia<string>(url, tokens.operator, 'sendtoaddress', [to, 1]);
    expect(txid).toMatch(/^[0-9a-f]{64}$/);
    expect(seen()).toBe(before + 1);
    // A daemon error comes back with the daemon's status and body.
    before = seen();
    const bad = await sidecarRpc(url, tokens.viewer, '{"method":"getblockhash","params":[99999],"id":1}');
    expect(bad.status).toBe(500);
    expect((bad.json as { error: { code: number } }).error.code).toBe(-8);
    expect(seen()).toBe(before + 1);

    const send = JSON.stringify({ method: 'sendtoaddress', params: [to, 1], id: 1 });
    const v = await refused(tokens.viewer, send, 403, /'sendtoaddress' needs the operator role/);
    expect(v.error.code).toBe(-32003);
    const dump = JSON.stringify({ method: 'dumpprivkey', params: [to], id: 2 });
    await refused(tokens.viewer, dump, 403, /'dumpprivkey' is never allowed/);
    await refused(tokens.operator, dump, 403, /'dumpprivkey' is never allowed/);
    await refused(
      tokens.operator,
      '{"method":"dumpprivkey","method":"getinfo","params":[]}',
      400,
      /duplicate key/,
    );
    await refused(
      tokens.operator,
      '[{"method":"getinfo"},{"method":"dumpwallet","params":["/tmp/x"]}]',
      403,
      /dumpwallet/,
    );
    await refused(
      tokens.operator,
      '{"method":"walletpassphrase","params":["x",1]}',
      403,
      /'walletpassphrase' is not on the sidecar's allowlist/,
    );
    await refused(undefined, '{"method":"getinfo"}', 401, /missing or invalid bearer token/);
    await refused(
      'not-a-real-token-0123456789',
      '{"method":"getinfo"}',
      401,
      /missing or invalid bearer token/,
    );
    await refused(tokens.viewer, '{"method":"getinfo",', 400, /not JSON/);
    await refused(
      tokens.viewer,
      '{"method":"getblock","params":{"hash":"00"}}',
      400,
      /'params' must be an array/,
    );
    await refused(
      tokens.viewer,
      JSON.stringify({ method: 'getinfo', params: ['x'.repeat(5000)] }),
      413,
      /exceeds 4096 bytes/,
    );

    // Nothing refused reached the daemon, and what was allowed still works.
    before = seen();
    expect(await callVia<number>(url, tokens.viewer, 'getblockcount')).toBe(101);
    expect(seen()).toBe(before + 1);
    for (const body of p.bodies) {
      expect(body).not.toContain('dumpprivkey');
      expect(body).not.toContain('walletpassphrase');
    }
  });
});

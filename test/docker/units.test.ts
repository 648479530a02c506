import { randomBytes } from 'node:crypto';
import { eventually } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, removeProject } from '../helpers/docker.js';
import { createNetwork, newToken, startUnit, type Unit } from '../helpers/units.js';

// Issue 3's acceptance case on the real engine: units of daemon + sidecar in their own network
// namespaces; the assetchain reaches KMD only through its sidecar's loopback bridge.
const project = `nn-e2e-${randomBytes(3).toString('hex')}`;
const network = `${project}-net`;
const CCL = ['-ac_name=CCL', '-ac_supply=200000000', '-ac_end=1', '-ac_cc=2'];
const kmdTokens = { viewer: [newToken()], operator: [newToken()] };
const cclTokens = { viewer: [newToken()], operator: [newToken()] };
const ltcTokens = { viewer: [newToken()], operator: [newToken()] };
const readyzSeen: Array<{ status: number; reason: string | null }> = [];
let kmd: Unit;
let ccl: Unit;
let ltc: Unit;
let watching = true;
let watcher: Promise<void> = Promise.resolve();

async function rpc(unit: Unit, token: string, method: string, params: unknown[] = []) {
  const res = await fetch(`${unit.url}/v1/rpc`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ method, params, id: 1 }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { result: unknown; error: { code: number; message: string } | null },
  };
}

beforeAll(async () => {
  await createNetwork(network, project);
  const kmdPassword = randomBytes(16).toString('hex');
  kmd = await startUnit({
    name: `${project}-kmd`,
    project,
    network,
    daemonArgs: ['-devblocktime=1'],
    tokens: kmdTokens,
    sidecar: {
      flavour: 'komodo',
      chain: 'KMD',
      listen: '0.0.0.0:8080',
      daemon: { conf: '/data/.komodo/komodo.conf', datadir: '/data/.komodo' },
    } as never,
    files: [
      {
        path: '/data/.komodo/komodo.conf',
        content: `rpcuser=kmd\nrpcpassword=${kmdPassword}\nrpcport=7771\nport=7770\nserver=1\n`,
      },
    ],
  });
  ccl = await startUnit({
    name: `${project}-ccl`,
    project,
    network,
    daemonArgs: [...CCL, '-devblocktime=1', '-devwarmup=6'],
    tokens: cclTokens,
    sidecar: {
      flavour: 'komodo',
      chain: 'CCL',
      listen: '0.0.0.0:8080',
      daemon: { conf: '/data/.komodo/CCL/CCL.conf', datadir: '/data/.komodo/CCL', defaultPort: 20849 },
      bridges: [
        {
          name: 'KMD',
          port: 7771,
          confPath: '/data/.komodo/komodo.conf',
          confExtra: {},
          upstream: `http://${project}-kmd-sidecar:8080`,
          tokenFile: '/data/nn/kmd.token',
        },
      ],
    } as never,
    files: [{ path: '/data/nn/kmd.token', content: `${kmdTokens.viewer[0]}\n` }],
  });
  // Watch CCL's /readyz from its first moment: it must go from 503 (starting, warming up) to 200.
  watcher = (async () => {
    while (watching) {
      try {
        const res = await fetch(`${ccl.url}/readyz`);
        const body = (await res.json()) as { reason: string | null };
        readyzSeen.push({ status: res.status, reason: body.reason });
      } catch {
        // sidecar not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  ltc = await startUnit({
    name: `${project}-ltc`,
    project,
    network,
    daemonArgs: ['-devflavour=litecoin', '-devblocktime=1'],
    tokens: ltcTokens,
    sidecar: {
      flavour: 'bitcoin',
      chain: 'LTC',
      listen: '0.0.0.0:8080',
      daemon: { conf: '/data/.litecoin/litecoin.conf', datadir: '/data/.litecoin' },
    } as never,
    files: [
      {
        path: '/data/.litecoin/litecoin.conf',
        content: `rpcuser=ltc\nrpcpassword=${randomBytes(16).toString('hex')}\nrpcport=9332\nport=9333\nserver=1\n`,
      },
    ],
  });
});

afterAll(async () => {
  watching = false;
  await watcher;
  await removeProject(project);
});

describe('daemon + sidecar units on the real engine', () => {
  it('puts each daemon in its own network namespace, shared only with its sidecar', async () => {
    const daemons = await Promise.all([kmd, ccl, ltc].map((u) => docker.getContainer(u.daemonId).inspect()));
    expect(daemons.map((d) => d.HostConfig.NetworkMode)).toEqual(
      [kmd, ccl, ltc].map((u) => `container:${u.sidecarId}`),
    );
  });

  it('/readyz of the assetchain goes from 503 to 200 when the warm-up ends', async () => {
    await eventually(
      async () => (readyzSeen.some((s) => s.status === 200) ? true : undefined),
      90_000,
      'CCL ready',
    );
    const firstReady = readyzSeen.findIndex((s) => s.status === 200);
    const before = readyzSeen.slice(0, firstReady);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((s) => s.status === 503)).toBe(true);
    expect(
      before.some((s) => /warming up: (Loading block index|RPC server started)/.test(s.reason ?? '')),
    ).toBe(true);
  });

  it('shows KMDnotarized_height in the assetchain’s getinfo, read through the loopback bridge', async () => {
    const seen = await eventually(
      async () => {
        const k = await rpc(kmd, kmdTokens.viewer[0] as string, 'getblockcount');
        const c = await rpc(ccl, cclTokens.viewer[0] as string, 'getinfo');
        const kmdBlocks = k.body.result as number;
        const h = (c.body.result as { KMDnotarized_height?: number } | null)?.KMDnotarized_height ?? 0;
        return kmdBlocks >= 2 && h > 0 && Math.abs(h - kmdBlocks) <= 2 ? h : undefined;
      },
      60_000,
      'KMDnotarized_height through the bridge',
    );
    expect(seen).toBeGreaterThan(0);
  });

  it('gives a viewer token 403 for sendtoaddress, naming the method, and lets the operator through', async () => {
    const viewer = await rpc(ccl, cclTokens.viewer[0] as string, 'sendtoaddress', [
      'RXL3YXG2ceaB6C5hfJcN4fvmLH2C34knhA',
      1,
    ]);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error?.message).toContain('sendtoaddress');
    const operator = await rpc(ccl, cclTokens.operator[0] as string, 'getnewaddress');
    expect(operator.status).toBe(200);
    expect(operator.body.result).toMatch(/^R/);
    const wrong = await rpc(ccl, kmdTokens.viewer[0] as string, 'getinfo');
    expect(wrong.status).toBe(401);
  });

  it('reports a litecoin-flavour devchain through the bitcoin flavour', async () => {
    const status = await eventually(
      async () => {
        const res = await fetch(`${ltc.url}/v1/status`, {
          headers: { authorization: `Bearer ${ltcTokens.viewer[0]}` },
        });
        const s = (await res.json()) as {
          rpc: string;
          flavour: string;
          chain: string;
          blocks: number | null;
          headers: number | null;
          synced: boolean;
          balance: number | null;
          walletBytes: number | null;
        };
        return s.rpc === 'ok' && (s.blocks ?? 0) >= 1 ? s : undefined;
      },
      60_000,
      'LTC status',
    );
    expect(status.flavour).toBe('bitcoin');
    expect(status.chain).toBe('LTC');
    expect(status.headers).toBeGreaterThanOrEqual(status.blocks ?? 0);
    expect(status.synced).toBe(true);
    // litecoind 0.21 starts without a wallet; the sidecar made the unnamed one (in the data dir, which
    // held the conf before the first start), so the status has a balance and a wallet size.
    expect(status.balance).not.toBeNull();
    expect(status.walletBytes).toBeGreaterThan(0);
    const getinfo = await rpc(ltc, ltcTokens.viewer[0] as string, 'getinfo');
    expect(getinfo.status).toBe(404);
  });
});

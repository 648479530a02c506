import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChainStatus } from '@nn/chain-sidecar/contract';
import { baseLayoutOf, devnetProfile, nodeUnitsDesired } from '@nn/node-units';
import { DockerRuntime } from '@nn/runtime';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobsConfig } from '../config.js';
import type { JobsDeps } from '../context.js';
import { SecretStore } from '../secrets/secret-store.js';
import { useTestQueue } from '../testing/test-queue.js';
import { startStatusPoller } from './status-poller.js';
import { autoResetChores } from './wallet-chores.js';

// The status poller over the real Redis and BullMQ (no worker runs: a queued reset stays queued). The
// main chain's and the destination's sidecars are loopback servers answering GET /v1/status as the
// chain sidecar's contract has it, with its viewer token; their statuses land in the live store under
// base kmd and base ltc, and a wallet.dat past walletResetBytes queues node.wallet-reset, trigger auto.

const dir = mkdtempSync(join(tmpdir(), 'nn-status-poller-'));
const kmdToken = 'k'.repeat(32);
const ltcToken = 'l'.repeat(32);
writeFileSync(join(dir, 'kmd.token'), kmdToken, { mode: 0o600 });
writeFileSync(join(dir, 'ltc.token'), ltcToken, { mode: 0o600 });

/** A chain sidecar's /v1/status as a loopback server: 401 without its viewer token, as the sidecar. */
interface FakeSidecar {
  url: string;
  status: ChainStatus;
  close(): Promise<void>;
}
async function fakeSidecar(token: string, status: ChainStatus): Promise<FakeSidecar> {
  const sidecar = { url: '', status, close: async () => undefined } as FakeSidecar;
  const http: Server = createServer((req, res) => {
    const ok = req.method === 'GET' && req.url === '/v1/status';
    const authed = req.headers.authorization === `Bearer ${token}`;
    res.writeHead(!ok ? 404 : authed ? 200 : 401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        authed
          ? sidecar.status
          : { result: null, error: { code: -32001, message: 'missing or invalid bearer token' }, id: null },
      ),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  sidecar.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  sidecar.close = () => new Promise<void>((resolve) => http.close(() => resolve()));
  return sidecar;
}

const kmdStatus: ChainStatus = {
  chain: 'KMD',
  flavour: 'komodo',
  rpc: 'ok',
  rpcMessage: null,
  blocks: 500,
  headers: 500,
  synced: true,
  connections: 3,
  notarized: 490,
  notarizedLag: 10,
  balance: 12.5,
  notaryUtxos: 7,
  walletBytes: 4_096,
  version: 3_010_050,
  dpowActive: true,
  checkpoint: null,
  at: 1_700_000_000_000,
};
// litecoind: no notarisations of its own, wallet.dat in <datadir>/wallets.
const ltcStatus: ChainStatus = {
  ...kmdStatus,
  chain: 'LTC',
  flavour: 'bitcoin',
  blocks: 2_000,
  headers: 2_000,
  notarized: null,
  notarizedLag: null,
  balance: 3.25,
  walletBytes: 1_200_000,
  version: 210_200,
  dpowActive: null,
};

const q = useTestQueue({ liveStatusEveryMs: 0 });
// No engine is asked for anything that matters here (no chain is placed), but each round lists the nodes:
// an engine at a socket that is not there answers at once, where a busy Docker could take its 30 s.
const runtime = new DockerRuntime({ engines: [{ name: 'local', url: `unix://${dir}/no-docker.sock` }] });
let kmd: FakeSidecar;
let ltc: FakeSidecar;
const layout = {
  prefix: 'nn-',
  node: 'local',
  network: 'devnet',
  ports: { ltc: 7801, kmd: 7802, iguana: 7803 },
  ...baseLayoutOf(devnetProfile(), 'nn-'),
  stopTimeoutSec: 60,
};

beforeAll(async () => {
  kmd = await fakeSidecar(kmdToken, kmdStatus);
  ltc = await fakeSidecar(ltcToken, ltcStatus);
});
afterAll(async () => {
  await kmd?.close();
  await ltc?.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  kmd.status = kmdStatus;
  ltc.status = ltcStatus;
  await q.queue.queue.obliterate({ force: true });
  await q.t.redis.del(
    q.state.keys.chore('node-wallet-reset:main'),
    q.state.keys.chore('node-wallet-reset:destination'),
  );
  await q.state.nodeUnits.putDesired({ ...nodeUnitsDesired(layout, '/secrets') });
});

/** The jobs' deps with the node's KMD and LTC wired as `nnctl up` writes them (the URLs the servers'). */
function deps(extra: Partial<JobsConfig> = {}): JobsDeps {
  const config: JobsConfig = {
    ...q.config,
    kmd: { sidecarUrl: kmd.url, viewerTokenFile: join(dir, 'kmd.token'), rpcPort: 7771 },
    ltc: {
      sidecarUrl: 'http://nn-ltc-sidecar:8080',
      node: 'local',
      remoteUrl: ltc.url,
      viewerTokenFile: join(dir, 'ltc.token'),
    },
    ...extra,
  };
  return {
    config,
    state: q.state,
    runtime,
    secrets: new SecretStore(dir),
    redis: q.t.redis,
    log: pino({ level: 'silent' }),
  };
}

const nodeResets = async () =>
  (await q.queue.queue.getJobs(['waiting', 'delayed'])).filter((j) => j.name === 'node.wallet-reset');

describe('status poller: the node’s own chains', () => {
  // A period, so the statuses live for three of them (0 = no loop, and a TTL of 1 ms); stop() waits for
  // the loop's first round, which runs beside the explicit one.
  const shown = { liveStatusEveryMs: 600_000 };

  it('stores the main chain’s status as base kmd and the destination’s as base ltc', async () => {
    const poller = startStatusPoller(deps(shown), autoResetChores(q.queue));
    try {
      expect(await poller.pollOnce()).toBe(2);
    } finally {
      await poller.stop();
    }
    const [k, l] = await q.state.live.getMany([{ base: 'kmd' }, { base: 'ltc' }]);
    expect(k).toEqual(kmdStatus);
    // The destination asked with its own viewer token, at the URL the orchestrator reaches (remoteUrl).
    expect(l).toEqual(ltcStatus);
    const ttl = await q.t.redis.pttl(q.state.keys.live('base:ltc'));
    expect(ttl).toBeGreaterThan(1_790_000);
    expect(await nodeResets()).toEqual([]);
  });

  it('a config without ltc (written before the field) polls KMD only; a wrong token is no status', async () => {
    await q.t.redis.del(q.state.keys.live('base:ltc'), q.state.keys.live('base:kmd'));
    const { ltc: _, ...old } = deps(shown).config;
    const poller = startStatusPoller({ ...deps(), config: old }, autoResetChores(q.queue));
    try {
      expect(await poller.pollOnce()).toBe(1);
    } finally {
      await poller.stop();
    }
    expect(await q.state.live.getMany([{ base: 'kmd' }, { base: 'ltc' }])).toEqual([kmdStatus, null]);
    await q.t.redis.del(q.state.keys.live('base:kmd'));
    const wrong = join(dir, 'wrong.token');
    writeFileSync(wrong, 'w'.repeat(32), { mode: 0o600 });
    const refused = startStatusPoller(
      deps({ ...shown, kmd: { sidecarUrl: kmd.url, viewerTokenFile: wrong, rpcPort: 7771 } }),
      autoResetChores(q.queue),
    );
    try {
      // KMD answers 401 to the wrong token: only LTC's status.
      expect(await refused.pollOnce()).toBe(1);
    } finally {
      await refused.stop();
    }
    expect(await q.state.live.getMany([{ base: 'kmd' }, { base: 'ltc' }])).toEqual([null, ltcStatus]);
  });
});

describe('status poller: automatic reset of the node’s wallets', () => {
  it('a destination wallet past the threshold: one node.wallet-reset (auto) an hour, whatever the workers and rounds', async () => {
    ltc.status = { ...ltcStatus, walletBytes: 10_000_001 };
    const pollers = [0, 1, 2].map(() => startStatusPoller(deps(), autoResetChores(q.queue)));
    try {
      for (let round = 0; round < 3; round++) await Promise.all(pollers.map((p) => p.pollOnce()));
      const [job, ...more] = await nodeResets();
      expect(more).toEqual([]);
      expect(job?.id).toMatch(/^node-wallet-reset-destination-/);
      expect(job?.data).toEqual({ target: 'destination', trigger: 'auto', requestedBy: 'status-poller' });
      // Claimed for an hour in Redis (cluster-wide), the main chain (4 kB) not at all.
      const ttl = await q.t.redis.pttl(q.state.keys.chore('node-wallet-reset:destination'));
      expect(ttl).toBeGreaterThan(3_590_000);
      expect(ttl).toBeLessThanOrEqual(3_600_000);
      expect(await q.t.redis.exists(q.state.keys.chore('node-wallet-reset:main'))).toBe(0);
      // The hour over while the job still waits: asked again, the queue keeps the one job.
      await q.t.redis.del(q.state.keys.chore('node-wallet-reset:destination'));
      await Promise.all(pollers.map((p) => p.pollOnce()));
      expect((await nodeResets()).map((j) => j.id)).toEqual([job?.id]);
    } finally {
      await Promise.all(pollers.map((p) => p.stop()));
    }
  });

  it('the main chain past the threshold: node.wallet-reset of main; the destination waits behind it', async () => {
    kmd.status = { ...kmdStatus, walletBytes: 12_000_000 };
    const poller = startStatusPoller(deps(), autoResetChores(q.queue));
    try {
      await poller.pollOnce();
      const [job] = await nodeResets();
      expect(job?.data).toEqual({ target: 'main', trigger: 'auto', requestedBy: 'status-poller' });
      // Both past it now: one node wallet reset at a time, so still only main's.
      ltc.status = { ...ltcStatus, walletBytes: 11_000_000 };
      await poller.pollOnce();
      expect((await nodeResets()).map((j) => j.id)).toEqual([job?.id]);
    } finally {
      await poller.stop();
    }
  });

  it('none at threshold 0, at exactly the threshold, unsynced, RPC down, or without recorded node units', async () => {
    const bloated = { ...ltcStatus, walletBytes: 50_000_000 };
    const cases: Array<[string, Partial<JobsConfig>, ChainStatus, boolean]> = [
      ['threshold 0', { walletResetBytes: 0 }, bloated, true],
      ['at the threshold', { walletResetBytes: 50_000_000 }, bloated, true],
      ['not synced', {}, { ...bloated, synced: false }, true],
      ['warming up', {}, { ...bloated, rpc: 'warmup' }, true],
      ['no node units recorded', {}, bloated, false],
    ];
    for (const [label, extra, status, recorded] of cases) {
      ltc.status = status;
      kmd.status = { ...kmdStatus, walletBytes: status.walletBytes, synced: status.synced, rpc: status.rpc };
      if (!recorded) await q.t.redis.del(q.state.keys.nodeUnits);
      const poller = startStatusPoller(deps(extra), autoResetChores(q.queue));
      try {
        expect(await poller.pollOnce(), label).toBe(2);
        expect(await nodeResets(), label).toEqual([]);
      } finally {
        await poller.stop();
      }
    }
  });

  it('a node without a destination in its recorded units: the LTC status is shown, never reset', async () => {
    await q.state.nodeUnits.putDesired({
      ...nodeUnitsDesired({ ...layout, daemons: { ...layout.daemons, destination: null } }, '/secrets'),
    });
    ltc.status = { ...ltcStatus, walletBytes: 20_000_000 };
    const poller = startStatusPoller(deps(), autoResetChores(q.queue));
    try {
      expect(await poller.pollOnce()).toBe(2);
      expect(await nodeResets()).toEqual([]);
    } finally {
      await poller.stop();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BaseUnits,
  baseLayoutOf,
  deployBaseUnits,
  devnetProfile,
  removeBaseUnits,
} from '@nn/node-units';
import type { OrchestratorConfigInput } from '@nn/orchestrator-app';
import { buildChainSpec, type ChainRecord } from '@nn/orchestrator-core';
import { createStateStore, type StateStore } from '@nn/orchestrator-state';
import { RedisServerProcess } from '@nn/orchestrator-state/testing';
import { DockerRuntime, type OwnedResource } from '@nn/runtime';
import { eventually } from '@nn/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Cluster, startCluster } from '../cluster/cluster.js';
import { nnctl, type OrchestratorProcess, startOrchestratorProcess } from './orchestrator-process.js';

// Issue 5's acceptance run, as an operator runs it: two Docker engines (network namespaces, address slot
// 1), the notary node's own units (LTC, KMD, Iguana) on engine 1, Redis of its own with AOF, the
// orchestrator as two processes (API, worker) and `nnctl chain import` of the real Season 8
// assetchains.json in the devnet profile (devchain images, the entries' public addnode seeds never
// passed to a daemon). Then the chaos runs: the worker SIGKILLed in the middle of the import, unit
// containers killed or removed, Redis SIGKILLed and started again from its AOF. After each: every chain
// ready, registered with Iguana, one unit each (two containers, one volume), nothing duplicated.

vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'assetchains.s8.json');
const S8 = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Array<Record<string, unknown>>;
const SPECS = S8.map((entry) => buildChainSpec({ entry }, { image: 'nn/devchain:0.1.0' }));
const IMAGES = [
  'nn/devchain:0.1.0',
  'nn/chain-sidecar:0.1.0',
  'nn/deviguana:0.1.0',
  'nn/iguana-sidecar:0.1.0',
];

const id = randomBytes(3).toString('hex');
const network = `acc${id}-net`;
const unitPrefix = `a${id}-`;
let cluster: Cluster;
let redisServer: RedisServerProcess;
let redis: Redis;
let state: StateStore;
let runtime: DockerRuntime;
let base: BaseUnits;
let dir: string;
let configFile: string;
let api: OrchestratorProcess;
let worker: OrchestratorProcess;
let apiUrl: string;
const processes: OrchestratorProcess[] = [];
let operatorKeyFile: string;
let viewerKeyFile: string;

const cli = (...args: string[]) =>
  nnctl(['--api', apiUrl, '--key-file', operatorKeyFile, '--poll-interval', '300', ...args]);

async function startWorker(): Promise<OrchestratorProcess> {
  const p = await startOrchestratorProcess(configFile, 'worker');
  processes.push(p);
  return p;
}

beforeAll(async () => {
  cluster = startCluster(2, { slot: 1, images: IMAGES });
  redisServer = await RedisServerProcess.create();
  await redisServer.start();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {}); // the Redis restart below is on purpose
  state = createStateStore(redis);
  dir = mkdtempSync(join(tmpdir(), `nn-acc-${id}-`));
  const engines = cluster.engines.map((e) => ({
    name: e.name,
    url: `unix://${e.socket}`,
    address: e.address,
    labels: e.labels,
  }));
  runtime = new DockerRuntime({ engines, network, helperImage: 'nn/chain-sidecar:0.1.0' });
  base = await deployBaseUnits({
    runtime,
    secretsDir: join(dir, 'secrets'),
    prefix: `a${id}n-`,
    node: 'e1',
    network,
    ports: { ltc: 7801, kmd: 7802, iguana: 7803 },
    ...baseLayoutOf(devnetProfile()),
    stopTimeoutSec: 10,
  });
  const operatorKey = randomBytes(24).toString('hex');
  const viewerKey = randomBytes(24).toString('hex');
  const keysFile = join(dir, 'api-keys.json');
  writeFileSync(keysFile, JSON.stringify({ viewer: [viewerKey], operator: [operatorKey] }), { mode: 0o600 });
  operatorKeyFile = join(dir, 'operator.key');
  writeFileSync(operatorKeyFile, `${operatorKey}\n`, { mode: 0o600 });
  viewerKeyFile = join(dir, 'viewer.key');
  writeFileSync(viewerKeyFile, `${viewerKey}\n`, { mode: 0o600 });
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const config: OrchestratorConfigInput = {
    redisUrl: redisServer.url,
    network,
    nodes: engines.map((e) => ({
      ...e,
      capacity: {
        memoryBytes: 16 * 1024 ** 3,
        diskBytes: 1024 ** 4,
        p2pPorts: { from: 1024, to: 59_999 },
        sidecarPorts: { from: 60_100, to: 60_199 },
        reservedPorts: [7801, 7802, 7803],
      },
    })),
    api: { listen: `127.0.0.1:${port}`, keysFile, defaultImage: 'nn/devchain:0.1.0' },
    jobs: {
      secretsDir: join(dir, 'secrets'),
      instance: `a${id}`,
      unitPrefix,
      sidecarImage: 'nn/chain-sidecar:0.1.0',
      useSeedNodes: false,
      requirePeers: false,
      daemonExtraArgs: ['-devblocktime=1', '-devwarmup=2'],
      stopTimeoutSec: 10,
      ...base.jobsConfig,
      attempts: 5,
      backoffMs: 1_000,
      readyTimeoutMs: 180_000,
      readyPollMs: 500,
      leaseTtlMs: 3_000,
      lockDurationMs: 3_000,
      stalledIntervalMs: 1_000,
      busyDelayMs: 300,
      sweepEveryMs: 5_000,
      concurrency: 4,
    },
  };
  configFile = join(dir, 'orchestrator.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  api = await startOrchestratorProcess(configFile, 'api');
  processes.push(api);
  apiUrl = `http://127.0.0.1:${port}`;
  worker = await startWorker();
});

afterAll(async () => {
  for (const p of processes) await p.stop(10_000).catch(() => undefined);
  if (runtime) {
    const units = new Set((await runtime.listOwned().catch(() => [])).map((r) => r.unit));
    for (const u of units)
      if (u.startsWith(unitPrefix))
        await runtime.removeUnit(u, { volumes: true, timeoutSec: 5 }).catch(() => {});
    await removeBaseUnits(runtime, `a${id}n-`, { volumes: true, timeoutSec: 5 }).catch(() => {});
    await runtime.close();
  }
  await redis?.quit().catch(() => undefined);
  await redisServer?.destroy();
  cluster?.down();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The chain units' containers and volumes, across both engines. */
async function chainResources(): Promise<OwnedResource[]> {
  return (await runtime.listOwned()).filter((r) => r.unit.startsWith(unitPrefix));
}

interface IguanaCoin {
  name: string;
  registered: boolean;
}
async function iguanaCoins(): Promise<IguanaCoin[]> {
  const iguana = base.iguana;
  if (!iguana) throw new Error('the devnet layout has Iguana');
  const token = readFileSync(iguana.viewerTokenFile, 'utf8').trim();
  const res = await fetch(`${iguana.endpoint}/v1/status`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  });
  return ((await res.json()) as { coins: IguanaCoin[] }).coins;
}

/** Keys matching `pattern` that have no TTL: desired state, not observations or claims that expire. */
async function durableKeys(pattern: string): Promise<number> {
  const keys = await redis.keys(pattern);
  const ttls = await Promise.all(keys.map((k) => redis.pttl(k)));
  return ttls.filter((t) => t === -1).length;
}

/** Every chain ready in the state, its unit running with both containers, one volume, registered with Iguana. */
async function everyChainReady(): Promise<ChainRecord[]> {
  const chains = await state.chains.list();
  expect(chains.map((c) => c.spec.id).sort()).toEqual(SPECS.map((s) => s.id).sort());
  const resources = await chainResources();
  const containers = resources.filter((r) => r.kind === 'container');
  const volumes = resources.filter((r) => r.kind === 'volume');
  expect(containers).toHaveLength(2 * SPECS.length);
  expect(volumes).toHaveLength(SPECS.length);
  expect(new Set(containers.map((c) => c.name)).size).toBe(containers.length);
  for (const chain of chains) {
    expect(chain.status, `${chain.spec.id}: ${chain.statusReason ?? ''}`).toBe('ready');
    const unit = await runtime.inspectUnit(`${unitPrefix}${chain.spec.id}`);
    expect(unit.state, chain.spec.id).toBe('running');
    expect(unit.node).toBe(chain.placement?.node);
    const ready = await fetch(`${unit.endpoint}/readyz`, { signal: AbortSignal.timeout(10_000) });
    expect(ready.status, `${chain.spec.id} /readyz`).toBe(200);
  }
  const coins = await iguanaCoins();
  for (const spec of SPECS)
    expect(coins.find((c) => c.name === spec.identity.iguanaName)?.registered, spec.identity.iguanaName).toBe(
      true,
    );
  return chains;
}

/** Polls until every chain is ready (reconcile and retries need a moment), then asserts it all. */
async function settle(what: string): Promise<ChainRecord[]> {
  const settled = async () => {
    const chains = await state.chains.list();
    const resources = await chainResources();
    const running = await runtime.listUnits({ labels: { 'nn.instance': `a${id}` } });
    if (
      chains.length !== SPECS.length ||
      !chains.every((c) => c.status === 'ready') ||
      resources.filter((r) => r.kind === 'container').length !== 2 * SPECS.length ||
      running.length !== SPECS.length ||
      !running.every((u) => u.state === 'running')
    )
      return false;
    // No job at work on a chain (lease) or queued for one (pending marker): a reconcile that a kill set
    // off would otherwise move a chain from ready to syncing right after this looked.
    for (const c of chains)
      if ((await state.leases.holder(c.spec.id)) || (await state.pending.get(c.spec.id))) return false;
    return true;
  };
  await eventually(
    async () => {
      if (!(await settled())) return undefined;
      // Still so a moment later: a Docker event on its way has arrived and been acted on by then.
      await new Promise((r) => setTimeout(r, 3_000));
      return (await settled()) ? true : undefined;
    },
    300_000,
    what,
  );
  return everyChainReady();
}

describe('nnctl chain import of the Season 8 assetchains.json across two engines', () => {
  it('brings every chain to ready and registers it with Iguana, though the worker is SIGKILLed mid-import', async () => {
    const run = cli('chain', 'import', FIXTURE, '--json');
    // Kill the worker once some chains are done and others are in the middle of their steps.
    await eventually(
      async () => {
        const chains = await state.chains.list();
        const ready = chains.filter((c) => c.status === 'ready').length;
        const busy = chains.filter((c) => ['provisioning', 'starting', 'syncing'].includes(c.status)).length;
        return ready >= 2 && busy >= 1 ? true : undefined;
      },
      300_000,
      'the import half-way',
    );
    await worker.kill();
    worker = await startWorker();
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    const { jobs } = JSON.parse(result.stdout) as { jobs: Array<{ state: string }> };
    expect(jobs).toHaveLength(SPECS.length);
    expect(jobs.every((j) => j.state === 'completed')).toBe(true);

    const chains = await settle('every chain ready after the import');
    // Placement spread them over both engines; no two chains share a host port on one node.
    const nodes = new Set(chains.map((c) => c.placement?.node));
    expect([...nodes].sort()).toEqual(['e1', 'e2']);
    const ports = chains.flatMap((c) => [
      `${c.placement?.node}:${c.placement?.p2pPort}`,
      `${c.placement?.node}:${c.placement?.sidecarPort}`,
    ]);
    expect(new Set(ports).size).toBe(ports.length);
    // The devnet profile never hands the public seed nodes to a daemon.
    for (const c of await chainResources())
      if (c.kind === 'container' && c.name.endsWith('-daemon')) {
        const info = await cluster.docker(c.node).getContainer(c.name).inspect();
        expect(info.Args.filter((a) => a.startsWith('-addnode'))).toEqual([]);
      }
  });

  it('brings back unit containers that were killed, removed or crashed', async () => {
    const chains = await state.chains.list();
    const on = (node: string) => chains.filter((c) => c.placement?.node === node);
    const [killed, removed, crashed] = [on('e2')[0], on('e1')[0], on('e2')[1]];
    if (!killed || !removed || !crashed) throw new Error('expected chains on both engines');
    const containers = (chain: ChainRecord) =>
      ['sidecar', 'daemon'].map((role) =>
        cluster.docker(chain.placement?.node ?? '').getContainer(`${unitPrefix}${chain.spec.id}-${role}`),
      );
    for (const c of containers(killed)) await c.kill();
    for (const c of containers(removed)) await c.remove({ force: true });
    // A daemon dying on its own (no docker command): its process SIGKILLed from the host.
    const [, daemon] = containers(crashed);
    const pid = (await daemon?.inspect())?.State.Pid;
    if (!pid) throw new Error('no daemon pid');
    process.kill(pid, 'SIGKILL');
    await eventually(
      async () =>
        (await runtime.inspectUnit(`${unitPrefix}${removed.spec.id}`).catch(() => null)) ? undefined : true,
      5_000,
      'the removed unit gone',
    ).catch(() => undefined);
    await settle('every chain ready after the kills');
  });

  it('keeps every chain and goes on working after Redis is SIGKILLed and started again from its AOF', async () => {
    const before = (await state.chains.list()).map((c) => [
      c.spec.id,
      c.placement?.node,
      c.placement?.p2pPort,
    ]);
    await redisServer.kill();
    await new Promise((r) => setTimeout(r, 2_000));
    await redisServer.start();
    await eventually(async () => ((await redis.ping()) === 'PONG' ? true : undefined), 30_000, 'Redis back');
    const after = (await state.chains.list()).map((c) => [
      c.spec.id,
      c.placement?.node,
      c.placement?.p2pPort,
    ]);
    expect(after).toEqual(before);
    // Jobs still run end to end: a restart through the API and worker that both lost Redis.
    const target = SPECS[0]?.id ?? '';
    const restart = await eventually(
      async () => {
        const r = await cli('chain', 'restart', target, '--json');
        return r.code === 0 ? r : undefined;
      },
      120_000,
      'a restart after Redis came back',
    );
    expect(JSON.parse(restart.stdout)).toMatchObject({ state: 'completed' });
    // And the event feed still brings back a unit that dies.
    const victim = (await state.chains.list()).find((c) => c.placement?.node === 'e2');
    if (!victim) throw new Error('no chain on e2');
    await cluster.docker('e2').getContainer(`${unitPrefix}${victim.spec.id}-daemon`).kill();
    await settle('every chain ready after the Redis restart');
  });

  it('refuses bad input with a reason and creates nothing: no container, volume, chain or job', async () => {
    const count = async () => ({
      resources: (await runtime.listOwned()).length,
      chains: (await state.chains.list()).length,
      // Durable state keys and operator jobs. Keys with a TTL (live statuses, chore claims, leases, pending
      // markers) and the sweep's own scheduled jobs come and go on their own.
      stateKeys: await durableKeys('nn:*'),
      jobs: (await redis.keys('bull:*')).filter((k) => /:(add|remove|restart|upgrade|import)-[^:]*$/.test(k))
        .length,
    });
    const before = await count();
    const hostile = join(dir, 'hostile.json');
    const cases: Array<{ args: string[]; reason: RegExp; code?: number }> = [
      { args: ['chain', 'add', '../../etc', '--param', 'ac_supply=10'], reason: /ac_name/ },
      { args: ['chain', 'add', 'X;rm -rf /', '--param', 'ac_supply=10'], reason: /ac_name/ },
      {
        args: ['chain', 'add', 'NEWCHAIN', '--param', 'ac_supply=10', '--param', 'ac_bogus=1'],
        reason: /ac_bogus/,
      },
      { args: ['chain', 'add', 'NEWCHAIN', '--param', 'ac_supply=10', '--node', 'e9'], reason: /node/ },
      { args: ['chain', 'import', FIXTURE], reason: /already exists/ },
      { args: ['chain', 'import', hostile], reason: /ac_supply/ },
    ];
    writeFileSync(hostile, JSON.stringify([{ ac_name: 'NUMBERS', ac_supply: 10 }]));
    for (const c of cases) {
      const r = await cli(...c.args);
      expect(r.code, `${c.args.join(' ')}: ${r.stderr}`).not.toBe(0);
      expect(r.stderr, c.args.join(' ')).toMatch(c.reason);
    }
    // A viewer may read but not change anything.
    const viewer = await nnctl([
      '--api',
      apiUrl,
      '--key-file',
      viewerKeyFile,
      'chain',
      'rm',
      SPECS[0]?.id ?? '',
    ]);
    expect(viewer.stderr).toMatch(/403/);
    const anonymous = await nnctl(['--api', apiUrl, 'chain', 'restart', SPECS[0]?.id ?? ''], {
      NN_API_KEY_FILE: '',
    });
    expect(anonymous.stderr).toMatch(/401/);
    expect(await count()).toEqual(before);
    await everyChainReady();
  });
});

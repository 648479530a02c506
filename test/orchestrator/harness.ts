import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  encodeWif,
  generatePrivateKey,
  KMD_PREFIXES,
  p2pkhAddress,
  publicKeyOf,
  toHex,
} from '@nn/chain-crypto';
import {
  createJobsRuntime,
  type JobsConfigInput,
  type JobsRuntime,
  type JobView,
  type StepHooks,
} from '@nn/orchestrator-jobs';
import { createStateStore, deletePrefixed, type StateStore } from '@nn/orchestrator-state';
import { DockerRuntime } from '@nn/runtime';
import { claim, runPrefix } from '@nn/testkit';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { docker } from '../helpers/docker.js';

// The orchestrator's jobs against the real engine and Redis, each test file under its own prefixes:
// its own state and BullMQ keys, unit names, cluster network, secrets dir and sidecar port range, so
// runs never see each other's units.

export const REDIS_URL = process.env.NN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DEVCHAIN_IMAGE = 'nn/devchain:0.1.0';

export interface Notary {
  readonly wif: string;
  readonly pubkey: string;
  readonly address: string;
  readonly wifFile: string;
}

export interface FakeIguana {
  readonly url: string;
  readonly token: string;
  readonly tokenFile: string;
  readonly added: Array<Record<string, unknown>>;
  readonly removed: string[];
  /** What GET /v1/status reports as `coins` (tests set it). */
  coins: Array<Record<string, unknown>>;
  /** Every split request: the coin and the body's duplicates. */
  readonly splits: Array<{ name: string; duplicates: unknown }>;
  close(): Promise<void>;
}

export interface Env {
  readonly id: string;
  readonly statePrefix: string;
  readonly queuePrefix: string;
  readonly unitPrefix: string;
  readonly network: string;
  readonly dir: string;
  readonly redis: Redis;
  readonly state: StateStore;
  readonly runtime: DockerRuntime;
  readonly notary: Notary;
  /** A host port outside the state's range, for a KMD unit the test runs itself. */
  readonly kmdPort: number;
  /** Every log line written by in-process workers (for the "no secret in logs" checks). */
  readonly logs: string[];
  /** The base config (without queueName): tests add their own. */
  baseConfig(extra?: Partial<JobsConfigInput>): JobsConfigInput;
  start(
    config: JobsConfigInput,
    opts?: { worker?: boolean; events?: boolean; sweep?: boolean; liveStatus?: boolean; hooks?: StepHooks },
  ): Promise<JobsRuntime>;
  cleanup(): Promise<void>;
}

export function secretFile(dir: string, name: string, value: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return path;
}

export async function createEnv(): Promise<Env> {
  const id = randomBytes(3).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), `nn-jobs-${id}-`));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  // Under the test run's prefix, and claimed before anything is made: a run killed midway leaves
  // nothing the next run's clean-up does not find.
  const statePrefix = `${runPrefix()}:${id}:`;
  const queuePrefix = `${runPrefix()}-${id}`;
  const state = createStateStore(redis, { prefix: statePrefix });
  const network = `nnt${id}-net`;
  claim({ kind: 'docker', prefix: `t${id}-` });
  claim({ kind: 'docker', prefix: network });
  claim({ kind: 'dir', path: dir });
  const runtime = new DockerRuntime({ network, requestTimeoutMs: 60_000 });
  // The network up front, as the orchestrator's start makes it: the crash tests' parallel worker processes
  // would otherwise all make it at once.
  await runtime.ensureNetwork();
  const priv = generatePrivateKey();
  const pub = publicKeyOf(priv);
  const wif = encodeWif(priv, KMD_PREFIXES.wif);
  const notary = {
    wif,
    pubkey: toHex(pub),
    address: p2pkhAddress(pub, KMD_PREFIXES),
    wifFile: secretFile(dir, 'notary.wif', wif),
  };
  // A sidecar port range of our own (14 ports, the KMD unit's port just above), so parallel runs on one
  // machine do not collide.
  const sidecarFrom = 60_000 + (Number.parseInt(id, 16) % 300) * 16;
  await state.nodes.upsert({
    name: 'local' as never,
    endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock' },
    capacity: {
      memoryBytes: 64 * 1024 ** 3,
      diskBytes: 1024 ** 4,
      p2pPorts: { from: 1024, to: 59_999 },
      sidecarPorts: { from: sidecarFrom, to: sidecarFrom + 13 },
      reservedPorts: [],
    },
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const runtimes: JobsRuntime[] = [];
  const connections: Redis[] = [redis];
  const env: Env = {
    id,
    statePrefix,
    queuePrefix,
    unitPrefix: `t${id}-`,
    network,
    dir,
    redis,
    state,
    runtime,
    notary,
    logs,
    kmdPort: sidecarFrom + 14,
    baseConfig(extra = {}) {
      return {
        queuePrefix,
        instance: `t${id}`,
        unitPrefix: `t${id}-`,
        secretsDir: join(dir, 'secrets'),
        sidecarImage: 'nn/chain-sidecar:0.1.0',
        daemonExtraArgs: ['-devblocktime=1', '-devwarmup=3'],
        requirePeers: false,
        stopTimeoutSec: 30,
        notary: { pubkey: notary.pubkey, wifFile: notary.wifFile },
        attempts: 2,
        backoffMs: 500,
        readyTimeoutMs: 60_000,
        readyPollMs: 250,
        leaseTtlMs: 2_000,
        busyDelayMs: 300,
        lockDurationMs: 2_000,
        stalledIntervalMs: 1_000,
        sweepEveryMs: 5_000,
        httpTimeoutMs: 5_000,
        ...extra,
      };
    },
    async start(config, opts = {}) {
      const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
      connections.push(connection);
      const jobs = await createJobsRuntime({
        config,
        redis,
        statePrefix,
        connection,
        runtime,
        log: pino({ level: 'debug' }, sink),
        worker: opts.worker ?? true,
        events: opts.events ?? false,
        sweep: opts.sweep ?? false,
        // The status poller is tested through nnctl up; here it would only add traffic (unless asked).
        liveStatus: opts.liveStatus ?? false,
        ...(opts.hooks ? { hooks: opts.hooks } : {}),
      });
      runtimes.push(jobs);
      return jobs;
    },
    async cleanup() {
      for (const r of runtimes) {
        await r.worker?.close().catch(() => undefined);
        await r.queue.queue.obliterate({ force: true }).catch(() => undefined);
        await r.close().catch(() => undefined);
      }
      await removeUnits(runtime, `t${id}-`);
      const nets = await docker.listNetworks({ filters: { name: [network] } });
      for (const n of nets)
        if (n.Name === network)
          await docker
            .getNetwork(n.Id)
            .remove()
            .catch(() => undefined);
      await deletePrefixed(redis, [statePrefix, queuePrefix]);
      await runtime.close();
      for (const c of connections) await c.quit().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

/** Removes every unit (containers and volumes) whose name starts with the prefix. */
export async function removeUnits(runtime: DockerRuntime, prefix: string): Promise<void> {
  const owned = await runtime.listOwned();
  const units = new Set(owned.filter((r) => r.unit.startsWith(prefix)).map((r) => r.unit));
  for (const u of units) await runtime.removeUnit(u, { volumes: true, timeoutSec: 5 });
}

/** Labelled containers and volumes of one unit. */
export async function unitResources(runtime: DockerRuntime, unit: string) {
  const owned = (await runtime.listOwned()).filter((r) => r.unit === unit);
  return {
    containers: owned
      .filter((r) => r.kind === 'container')
      .map((r) => r.name)
      .sort(),
    volumes: owned
      .filter((r) => r.kind === 'volume')
      .map((r) => r.name)
      .sort(),
  };
}

/** Every value stored under the prefixes, as text (strings, hashes, lists, sets, zsets, streams). */
export async function dumpKeys(redis: Redis, prefixes: readonly string[]): Promise<string> {
  const out: string[] = [];
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        out.push(key);
        if (type === 'string') out.push((await redis.get(key)) ?? '');
        else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  }
  return out.join('\n');
}

/** Polls a job until it is completed or failed. */
export async function waitForJob(jobs: JobsRuntime, id: string, timeoutMs = 180_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  let last: JobView | undefined;
  while (Date.now() < deadline) {
    last = await jobs.queue.readJob(id);
    if (last && (last.state === 'completed' || last.state === 'failed')) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`job ${id} did not finish in ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

/** A stand-in for the Iguana sidecar's coin routes (the real one needs a whole Iguana unit). */
export async function fakeIguana(dir: string): Promise<FakeIguana> {
  const token = randomBytes(24).toString('hex');
  const added: Array<Record<string, unknown>> = [];
  const removed: string[] = [];
  const splits: Array<{ name: string; duplicates: unknown }> = [];
  let fake: FakeIguana | undefined;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const send = (status: number, obj: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'bad token' });
      if (req.method === 'POST' && req.url === '/v1/coins') {
        const coin = JSON.parse(body) as Record<string, unknown>;
        if (added.some((c) => c.name === coin.name))
          return send(409, { error: `name: coin exists`, field: 'name' });
        added.push(coin);
        return send(201, { coin: { name: coin.name }, note: null });
      }
      if (req.method === 'GET' && req.url === '/v1/status') return send(200, { coins: fake?.coins ?? [] });
      const split = /^\/v1\/coins\/([A-Za-z0-9_]+)\/split$/.exec(req.url ?? '');
      if (req.method === 'POST' && split?.[1]) {
        splits.push({
          name: split[1],
          duplicates: (JSON.parse(body) as { duplicates?: unknown }).duplicates,
        });
        return send(200, { coin: split[1], completed: true });
      }
      const m = /^\/v1\/coins\/([A-Za-z0-9_]+)$/.exec(req.url ?? '');
      if (req.method === 'DELETE' && m?.[1]) {
        const i = added.findIndex((c) => c.name === m[1]);
        if (i < 0) return send(404, { error: `no coin ${m[1]}`, field: 'name' });
        added.splice(i, 1);
        removed.push(m[1]);
        return send(200, { name: m[1] });
      }
      send(404, { error: 'no route' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  fake = {
    url: `http://127.0.0.1:${port}`,
    token,
    tokenFile: secretFile(dir, 'iguana.token', token),
    added,
    removed,
    coins: [],
    splits,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return fake;
}

/** A sidecar RPC call with a token (for assertions). */
export async function sidecarRpc(url: string, token: string, method: string, params: unknown[] = []) {
  const res = await fetch(`${url}/v1/rpc`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ method, params, id: 1 }),
  });
  return (await res.json()) as { result: unknown; error: { code: number; message: string } | null };
}

export interface KmdUnit {
  readonly unit: string;
  readonly sidecarUrl: string;
  readonly viewerTokenFile: string;
  readonly endpoint: string;
}

/** KMD as the assetchains' bridge upstream: a devchain KMD unit with its sidecar, made by the test. */
export async function startKmd(env: Env): Promise<KmdUnit> {
  const unit = `t${env.id}-kmd`;
  const viewer = randomBytes(24).toString('hex');
  const operator = randomBytes(24).toString('hex');
  const sidecar = {
    flavour: 'komodo',
    chain: 'KMD',
    listen: '0.0.0.0:8080',
    daemon: { conf: '/data/.komodo/komodo.conf', datadir: '/data/.komodo' },
    tokensFile: '/data/nn/tokens.json',
    requirePeers: false,
  };
  const handle = await env.runtime.deployUnit({
    name: unit,
    node: 'local',
    sidecar: {
      image: 'nn/chain-sidecar:0.1.0',
      cmd: ['--config', '/data/nn/sidecar.json'],
      hostPort: env.kmdPort,
    },
    daemon: { image: DEVCHAIN_IMAGE, cmd: ['-devblocktime=1'] },
    files: [
      {
        path: '.komodo/komodo.conf',
        content: `rpcuser=kmd\nrpcpassword=${randomBytes(16).toString('hex')}\nrpcport=7771\nport=7770\nserver=1\n`,
      },
      { path: 'nn/sidecar.json', content: JSON.stringify(sidecar) },
      { path: 'nn/tokens.json', content: JSON.stringify({ viewer: [viewer], operator: [operator] }) },
    ],
    stopTimeoutSec: 10,
  });
  return {
    unit,
    sidecarUrl: `http://${unit}-sidecar:8080`,
    viewerTokenFile: secretFile(env.dir, 'kmd.token', viewer),
    endpoint: handle.endpoint ?? `http://127.0.0.1:${env.kmdPort}`,
  };
}

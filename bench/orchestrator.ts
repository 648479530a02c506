// Benchmarks of issue 6, each comparison measured side by side in one run (medians of RUNS runs):
//  1. one assetchain, API request → ready, against a plain `docker run` of the same image plus polling
//     its RPC until it answers (the engine's floor);
//  2. the Season 8 assetchains through the queue, against the dPoW way (start each in turn, wait for its
//     RPC) and against parallel `docker run`s;
//  3. recovery: a unit's containers removed → ready again through the orchestrator (events → reconcile
//     → redeploy), against Docker's own restart policy bringing back a killed daemon;
//  4. resident memory of the orchestrator process and of one sidecar with 12 and with 50 chains.
// The orchestrator runs as its own process (its real entry point, `nn-orchestrator`), on the local
// engine and the local Redis, under its own prefixes; everything is removed at the end.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildChainSpec, JOB_STEPS } from '../orchestrator/core/src/index.js';
import { Redis } from '../orchestrator/jobs/src/testing/deps.js';
import { DockerRuntime } from '../orchestrator/runtime/src/index.js';
import { entryToArgs } from '../services/komodo-params/src/index.js';
import { docker } from '../test/helpers/docker.js';

type Container = ReturnType<typeof docker.getContainer>;

import s8 from '../test/fixtures/assetchains.s8.json' with { type: 'json' };
import { REPO_ROOT } from '../test/kit/src/index.js';
import type { BenchSection } from './sidecar-rpc.js';

const RUNS = Number(process.env.NN_BENCH_RUNS ?? 3);
const IMAGE = 'nn/devchain:0.1.0';
const id = randomBytes(3).toString('hex');
const prefix = `b${id}-`;
const dir = mkdtempSync(join(tmpdir(), `nn-bench-${id}-`));
const operatorKey = randomBytes(24).toString('hex');
const apiPort = 30_000 + Math.floor(Math.random() * 9_000);
const api = `http://127.0.0.1:${apiPort}`;
const S8 = (s8 as Array<Record<string, unknown>>).map(({ addnode: _seeds, ...e }) => e);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const secs = (ms: number) => (ms / 1000).toFixed(2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- the orchestrator process -------------------------------------------------------------------------

let orchestrator: ChildProcess | undefined;
async function startOrchestrator(): Promise<void> {
  const keysFile = join(dir, 'keys.json');
  writeFileSync(keysFile, JSON.stringify({ viewer: [], operator: [operatorKey] }), { mode: 0o600 });
  const config = {
    statePrefix: `nnbench:${id}:`,
    network: `${prefix}net`,
    nodes: [
      {
        name: 'local',
        capacity: {
          memoryBytes: 512 * 1024 ** 3,
          diskBytes: 1024 ** 5,
          p2pPorts: { from: 1024, to: 59_999 },
          sidecarPorts: { from: 60_500, to: 60_699 },
          reservedPorts: [apiPort],
        },
      },
    ],
    api: { listen: `127.0.0.1:${apiPort}`, keysFile, rateLimitPerMinute: 100_000 },
    jobs: {
      secretsDir: join(dir, 'secrets'),
      instance: `b${id}`,
      queuePrefix: `nnbench${id}`,
      unitPrefix: prefix,
      sidecarImage: 'nn/chain-sidecar:0.1.0',
      useSeedNodes: false,
      requirePeers: false,
      daemonExtraArgs: ['-devblocktime=5'],
      stopTimeoutSec: 10,
      readyPollMs: 200,
      concurrency: 12,
      sweepEveryMs: 60_000,
      liveStatusEveryMs: 0,
    },
    logLevel: 'warn',
  };
  const configFile = join(dir, 'orchestrator.json');
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  orchestrator = spawn(
    process.execPath,
    ['--import', 'tsx', 'orchestrator/app/src/main.ts', '--config', configFile],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${api}/healthz`)).status === 200) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error('the orchestrator did not start');
    await sleep(200);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${operatorKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as T;
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

interface JobView {
  state: string;
  error?: { message: string } | null;
  result?: { stepsMs?: Record<string, number>; lapsMs?: Record<string, number> } | null;
  finishedAt?: string | null;
}

async function waitJobs(ids: string[]): Promise<JobView[]> {
  const views: JobView[] = [];
  for (const jobId of ids)
    for (;;) {
      const j = await call<JobView>('GET', `/v1/jobs/${jobId}`);
      if (j.state === 'completed') {
        views.push(j);
        break;
      }
      if (j.state === 'failed') throw new Error(`job ${jobId} failed: ${j.error?.message}`);
      await sleep(50);
    }
  return views;
}

/** One pass through the queue: its time and each job's steps (chain.add's result.stepsMs). */
interface QueueRun {
  ms: number;
  steps: Array<Record<string, number>>;
  laps: Array<Record<string, number>>;
}

/**
 * API request → every chain ready (the jobs end with /readyz answering twice). The end is the last
 * job's own finishedOn (BullMQ's clock, ms), not when the bench's poll saw it: the poll's interval would
 * otherwise be counted against the orchestrator.
 */
async function viaQueue(entries: Array<Record<string, unknown>>): Promise<QueueRun> {
  const t0 = Date.now();
  const accepted = await call<{ jobs: Array<{ jobId: string }> }>('POST', '/v1/chains/import', {
    entries,
    image: IMAGE,
  });
  const views = await waitJobs(accepted.jobs.map((j) => j.jobId));
  const end = Math.max(...views.map((v) => Date.parse(v.finishedAt ?? '') || Date.now()));
  return {
    ms: end - t0,
    steps: views.map((v) => v.result?.stepsMs ?? {}),
    laps: views.map((v) => v.result?.lapsMs ?? {}),
  };
}

async function removeAllChains(): Promise<void> {
  const { chains } = await call<{ chains: Array<{ id: string }> }>('GET', '/v1/chains');
  const jobs = await Promise.all(
    chains.map((c) => call<{ jobId: string }>('DELETE', `/v1/chains/${c.id}`).then((a) => a.jobId)),
  );
  await waitJobs(jobs);
}

// --- plain docker -------------------------------------------------------------------------------------

/** The same komodod flags the orchestrator gives the daemon (addnode seeds already dropped). */
function argsOf(entry: Record<string, unknown>): string[] {
  return entryToArgs(entry as Parameters<typeof entryToArgs>[0], { home: '/data' });
}

let plainCount = 0;
/** The bench's own bridge network for the plain runs that get one (removed at the end). */
const PLAIN_NET = `${prefix}plain`;

/**
 * A plain container of the chain. `networked`: on a bridge network with the chain's p2p port published
 * on 127.0.0.1, as a chain that can reach its peers must be (and as a `docker run -p` does); without it,
 * `--network none`, the cheapest start the engine has (the floor).
 */
async function plainRun(
  entry: Record<string, unknown>,
  opts: { restart?: boolean; networked?: boolean } = {},
): Promise<Container> {
  const p2p = buildChainSpec({ entry: entry as never }, { image: IMAGE }).ports.p2p;
  const c = await docker.createContainer({
    name: `${prefix}plain-${plainCount++}`,
    Image: IMAGE,
    Cmd: [...argsOf(entry), '-devblocktime=5'],
    Labels: { 'nn.bench': id },
    ...(opts.networked ? { ExposedPorts: { [`${p2p}/tcp`]: {} } } : {}),
    HostConfig: {
      RestartPolicy: { Name: opts.restart ? 'always' : 'no' },
      NetworkMode: opts.networked ? PLAIN_NET : 'none',
      ...(opts.networked
        ? { PortBindings: { [`${p2p}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(p2p) }] } }
        : {}),
    },
  });
  await c.start();
  return c;
}

/** Polls the chain's RPC from inside its container (komodo-cli's way) until it answers. */
async function rpcAnswers(c: Container, entry: Record<string, unknown>): Promise<void> {
  for (;;) {
    try {
      const exec = await c.exec({
        Cmd: ['node', '/app/devchain-cli.mjs', ...argsOf(entry), 'getblockcount'],
        AttachStdout: true,
        AttachStderr: true,
      });
      const stream = await exec.start({});
      await new Promise((r) => stream.on('end', r).resume());
      if ((await exec.inspect()).ExitCode === 0) return;
    } catch {
      // container restarting
    }
    await sleep(100);
  }
}

async function removePlain(): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`nn.bench=${id}`] } });
  await Promise.all(
    list.map((c: { Id: string }) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
}

// --- measurements -------------------------------------------------------------------------------------

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

async function sidecarPid(unit: string): Promise<number> {
  return (await docker.getContainer(`${unit}-sidecar`).inspect()).State.Pid;
}

/**
 * The settled resident size of each process: the smallest of 10 samples over 5 s. One sample lands
 * anywhere in a garbage collector's cycle (one run read 249 MiB with 12 chains and 205 with 50).
 */
async function settledRss(pids: readonly number[]): Promise<number[]> {
  const low = pids.map(() => Number.POSITIVE_INFINITY);
  for (let i = 0; i < 10; i++) {
    pids.forEach((pid, k) => {
      low[k] = Math.min(low[k] ?? Number.POSITIVE_INFINITY, rssOf(pid));
    });
    await sleep(500);
  }
  return low;
}

/** Generated chains whose derived p2p ports differ (two chains with one port cannot share a node). */
const usedPorts = new Set<number>();
function distinctPorts(count: number, from: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (let k = from; out.length < count; k++) {
    const entry = { ac_name: `BMEM${id.toUpperCase()}${k}`, ac_supply: '1000000' };
    const port = buildChainSpec({ entry }, { image: IMAGE }).ports.p2p;
    if (usedPorts.has(port)) continue;
    usedPorts.add(port);
    out.push(entry);
  }
  return out;
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

const NOTES = [
  "The floors. `--network none` is the issue's anchor: the cheapest start the engine has, but a chain started so cannot reach a peer. A chain unit needs a bridge network and published ports (the sidecar publishes its API and the p2p port), so the networked plain run — same image, a bridge network of the bench's own, the p2p port published on 127.0.0.1 — is the like-for-like floor; both are measured in the same run and both ratios are given. Both plain floors poll with `docker exec devchain-cli`, itself a process start per poll.",
  "What the step table says about the gap (one chain): a unit is two containers, and the daemon can only start once the sidecar runs (it joins the sidecar's network namespace, so RPC stays inside the unit). The sidecar's engine start (`create/sidecar-started`: bridge network, veth, two port proxies) and then the daemon's (`start/daemon-started`) are in series where a plain run has one start, and the sidecar's own process start-up (`wait-ready/sidecar answering`: Node loading a 5.5 MB bundle) is longer than the devchain daemon's, so it, not the daemon, decides when the unit is ready (`wait-ready/daemon ready` ≈ 0: the daemon already answers by then). Everything the job does besides (validate, place, images, volumes, secrets, status writes, import-key, register, done, the queue) is a few per cent. Cut in this round: the daemon's container is created while the files go into the volume (its create needs the sidecar to exist, not to run), the two image looks go to the engine at once and the volume look overlaps them, and the fast readiness polls follow the sidecar (50 ms until it answers, then 3 s more) instead of a 3 s clock from the deploy, which with eleven chains starting at once ran out before the sidecars listened. Next: the sidecar's start-up (issue 14 item 1 — a smaller bundle, less evaluated before `listen()`, or a V8 start-up snapshot) is the largest single share left; below that, the second container start is the price of the two-container unit.",
  "Season 8 at once: 22 containers and 11 sidecar start-ups (each a Node process loading its bundle) against 11 plain containers, on two cores shared with the orchestrator and, on this machine, with other sessions; CPU rather than the engine is the limit, so the sidecar's start-up cost counts eleven times.",
  'The orchestrator runs as `node --import tsx orchestrator/app/src/main.ts` (the TypeScript loader is part of its resident memory). Concurrency 12 workers; devchain blocks every 5 s; plain runs poll RPC with `devchain-cli getblockcount` inside the container, as komodo-cli is used on a notary node.',
];

const PARTS = new Set((process.env.NN_BENCH_PARTS ?? '1,2,3,4').split(',').map((x) => x.trim()));

/**
 * Where the time of a chain.add goes: each step's median over the jobs, and its share of the median
 * job (the steps summed). `outside` is the request → done time the steps do not cover: the API call,
 * the queue, a worker picking the job up, the chain's lease, BullMQ completing it.
 */
function stepTable(runs: readonly QueueRun[], title: string): string[] {
  const jobs = runs.flatMap((r) => r.steps);
  const order = JOB_STEPS['chain.add'] as readonly string[];
  const seen = order.filter((st) => jobs.some((j) => j[st] !== undefined));
  const laps = runs.flatMap((r) => r.laps);
  const lapNames = [...new Set(laps.flatMap((j) => Object.keys(j)))];
  const total = median(jobs.map((j) => Object.values(j).reduce((a, b) => a + b, 0)));
  const outside = median(
    runs.map((r) => r.ms - Math.max(...r.steps.map((j) => Object.values(j).reduce((a, b) => a + b, 0)))),
  );
  const share = (ms: number) => `${((100 * ms) / (total || 1)).toFixed(0)} %`;
  return [
    `${title} (median over ${jobs.length} jobs; share of the median job's ${total.toFixed(0)} ms in its steps):`,
    '',
    '| step | median ms | share |',
    '|---|---|---|',
    ...seen.flatMap((st) => {
      const ms = median(jobs.map((j) => j[st] ?? 0));
      const inside = lapNames.filter((l) => l.startsWith(`${st}/`));
      return [
        `| ${st} | ${ms.toFixed(0)} | ${share(ms)} |`,
        ...inside.map((l) => {
          const lm = median(laps.map((j) => j[l] ?? 0));
          return `| &nbsp;&nbsp;↳ ${l.slice(st.length + 1)} | ${lm.toFixed(0)} | ${share(lm)} |`;
        }),
      ];
    }),
    `| (outside the steps: API, queue, pick-up, lease, completion) | ${outside.toFixed(0)} | — |`,
    '',
  ];
}

const verdict = (ratio: number, target: number) =>
  `${ratio.toFixed(2)}× (target ≤ ${target}×: ${ratio <= target ? 'met' : 'missed'})`;

/** Plain containers → first RPC answer of each; all started at once, or one after another. */
async function plainAll(
  entries: ReadonlyArray<Record<string, unknown>>,
  how: { networked?: boolean; sequential?: boolean } = {},
): Promise<number> {
  const t0 = performance.now();
  if (how.sequential) for (const e of entries) await rpcAnswers(await plainRun(e, how), e);
  else {
    const started = await Promise.all(entries.map((e) => plainRun(e, how)));
    await Promise.all(started.map((c: Container, k: number) => rpcAnswers(c, entries[k] ?? {})));
  }
  const ms = performance.now() - t0;
  await removePlain();
  return ms;
}

/**
 * One chain of each kind before anything is timed: the first deploy of a run makes the cluster network,
 * and the orchestrator's TypeScript loader compiles the job path's modules on their first use.
 */
async function warmUp(): Promise<void> {
  const entry = { ac_name: `BWARM${id.toUpperCase()}`, ac_supply: '1000000' };
  await plainAll([entry]);
  await plainAll([entry], { networked: true });
  await viaQueue([entry]);
  await removeAllChains();
}

const runsOf = (xs: readonly number[]) => xs.map(secs).join(', ');

/** The floors of one comparison and the orchestrator's ratio to each. */
function floorCells(q: number, none: number[], net: number[], what: string): [string, string] {
  return [
    `${what} \`--network none\`: ${secs(median(none))} s (runs ${runsOf(none)}); on a bridge network with the p2p port published: ${secs(median(net))} s (runs ${runsOf(net)})`,
    `${verdict(q / median(none), 1.3)} against \`--network none\`; ${(q / median(net)).toFixed(2)}× against the networked run`,
  ];
}

/** 1. one chain: the two plain floors, then the same chain through the API, alternating. */
async function benchOne(rows: string[], tables: string[]): Promise<void> {
  const queue: QueueRun[] = [];
  const none: number[] = [];
  const net: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const entry = { ac_name: `BONE${id.toUpperCase()}${i}`, ac_supply: '1000000' };
    none.push(await plainAll([entry]));
    net.push(await plainAll([entry], { networked: true }));
    queue.push(await viaQueue([entry]));
    await removeAllChains();
  }
  const q = median(queue.map((r) => r.ms));
  const [floor, ratio] = floorCells(q, none, net, 'docker run + RPC poll,');
  rows.push(
    `| 1. one assetchain → ready | API request → job done: **${secs(q)} s** (runs ${runsOf(queue.map((r) => r.ms))}) | ${floor} | ${ratio} |`,
  );
  tables.push(...stepTable(queue, 'One assetchain, the chain.add job step by step'));
}

/** 2. the Season 8 chains: one after another, parallel docker runs (both floors), through the queue. */
async function benchS8(rows: string[], tables: string[]): Promise<void> {
  const queue: QueueRun[] = [];
  const seq: number[] = [];
  const none: number[] = [];
  const net: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    seq.push(await plainAll(S8, { sequential: true }));
    none.push(await plainAll(S8));
    net.push(await plainAll(S8, { networked: true }));
    queue.push(await viaQueue(S8));
    await removeAllChains();
  }
  const q = median(queue.map((r) => r.ms));
  const [floor, ratio] = floorCells(q, none, net, 'parallel docker runs,');
  rows.push(
    `| 2. the ${S8.length} Season 8 assetchains → ready | through the queue: **${secs(q)} s** (runs ${runsOf(queue.map((r) => r.ms))}) | ${floor}; one after another (dPoW's way, \`--network none\`): ${secs(median(seq))} s | ${ratio}; ${(median(seq) / q).toFixed(1)}× the sequential time |`,
  );
  tables.push(
    ...stepTable(queue, `The ${S8.length} Season 8 assetchains at once, each chain.add job step by step`),
  );
}

/** 3. recovery: the unit's containers removed → ready again, against Docker's restart policy. */
async function benchRecovery(rows: string[], runtime: DockerRuntime): Promise<void> {
  const rec: Record<'orchestrator' | 'docker', number[]> = { orchestrator: [], docker: [] };
  const recEntry = { ac_name: `BREC${id.toUpperCase()}`, ac_supply: '1000000' };
  const accepted = await call<{ jobs: Array<{ jobId: string; chainId: string }> }>(
    'POST',
    '/v1/chains/import',
    { entries: [recEntry], image: IMAGE },
  );
  await waitJobs(accepted.jobs.map((j) => j.jobId));
  const unit = `${prefix}${accepted.jobs[0]?.chainId ?? ''}`;
  for (let i = 0; i < RUNS; i++) {
    const c = await plainRun(recEntry, { restart: true });
    await rpcAnswers(c, recEntry);
    const pid = (await c.inspect()).State.Pid;
    let t0 = performance.now();
    process.kill(pid, 'SIGKILL');
    await sleep(50);
    await rpcAnswers(c, recEntry);
    rec.docker.push(performance.now() - t0);
    await removePlain();
    t0 = performance.now();
    for (const role of ['daemon', 'sidecar'])
      await docker.getContainer(`${unit}-${role}`).remove({ force: true });
    for (;;) {
      const h = await runtime.inspectUnit(unit).catch(() => undefined);
      if (h?.state === 'running' && h.endpoint) {
        const r = await fetch(`${h.endpoint}/readyz`).catch(() => undefined);
        if (r?.status === 200) break;
      }
      await sleep(100);
    }
    rec.orchestrator.push(performance.now() - t0);
  }
  rows.push(
    `| 3. recovery → ready | unit's containers removed, orchestrator redeploys: **${secs(median(rec.orchestrator))} s** | daemon SIGKILLed, Docker's restart policy: ${secs(median(rec.docker))} s | target < 5 s + warm-up: ${median(rec.orchestrator) < 5_000 ? 'met' : 'missed'} |`,
  );
  await removeAllChains();
}

/** 4. resident memory of the orchestrator and of one sidecar with 12 and with 50 chains. */
async function benchMemory(rows: string[]): Promise<void> {
  const mem: Array<{ chains: number; orch: number; sidecar: number }> = [];
  let made = 0;
  let distinctFirst: Record<string, unknown> | undefined;
  for (const target of [12, 50]) {
    const entries = distinctPorts(target - made, made);
    distinctFirst ??= entries[0];
    for (let k = 0; k < entries.length; k += 25) await viaQueue(entries.slice(k, k + 25));
    made = target;
    await sleep(5_000);
    const first = `${prefix}${buildChainSpec({ entry: distinctFirst ?? {} }, { image: IMAGE }).id}`;
    const [orch = 0, sidecar = 0] = await settledRss([orchestrator?.pid ?? 0, await sidecarPid(first)]);
    mem.push({ chains: target, orch, sidecar });
  }
  const [m12, m50] = mem;
  if (m12 && m50)
    rows.push(
      `| 4. resident memory | orchestrator (API + workers, one process): ${mib(m12.orch)} with 12 chains, ${mib(m50.orch)} with 50 → ${mib((m50.orch - m12.orch) / 38)} per chain | one chain sidecar: ${mib(m12.sidecar)} with 12 chains, ${mib(m50.sidecar)} with 50 (each chain has its own) | — |`,
    );
  await removeAllChains();
}

async function cleanUp(runtime: DockerRuntime): Promise<void> {
  orchestrator?.kill('SIGTERM');
  await sleep(2_000);
  await removePlain();
  await docker
    .getNetwork(PLAIN_NET)
    .remove()
    .catch(() => undefined);
  const owned = await runtime.listOwned().catch(() => [] as Awaited<ReturnType<DockerRuntime['listOwned']>>);
  for (const u of new Set(owned.map((r) => r.unit)))
    if (u.startsWith(prefix))
      await runtime.removeUnit(u, { volumes: true, timeoutSec: 5 }).catch(() => undefined);
  await runtime.removeNetwork(`${prefix}net`).catch(() => undefined);
  await runtime.close();
  const redis = new Redis('redis://127.0.0.1:6379');
  for (const p of [`nnbench:${id}:*`, `nnbench${id}:*`]) {
    const keys = await redis.keys(p);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
}

export default async function orchestratorBench(): Promise<BenchSection> {
  const runtime = new DockerRuntime({ network: `${prefix}net` });
  const rows: string[] = [];
  const tables: string[] = [];
  try {
    await startOrchestrator();
    await docker.createNetwork({ Name: PLAIN_NET, Driver: 'bridge', Labels: { 'nn.bench': id } });
    await warmUp();
    if (PARTS.has('1')) await benchOne(rows, tables);
    if (PARTS.has('2')) await benchS8(rows, tables);
    if (PARTS.has('3')) await benchRecovery(rows, runtime);
    if (PARTS.has('4')) await benchMemory(rows);
  } finally {
    await cleanUp(runtime);
  }
  return {
    title: 'Orchestrator: API → ready, the Season 8 set, recovery, memory (bench/orchestrator.ts)',
    markdown: [
      `Method: medians of ${RUNS} runs per comparison, each side measured in the same run on the same engine, one after the other. "Ready" for the orchestrator is the chain.add job done (unit placed, volume and conf written, sidecar and daemon started, the sidecar's /readyz answering 200 from a fresh look at the daemon), timed from the API request to the last job's own finishedOn; for a plain container it is the first RPC answer.`,
      '',
      '| comparison | orchestrator | floor | ratio / target |',
      '|---|---|---|---|',
      ...rows,
      '',
      ...tables,
      ...NOTES.map((n) => `- ${n}`),
    ].join('\n'),
  };
}

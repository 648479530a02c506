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
import { buildChainSpec } from '../orchestrator/core/src/index.js';
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

async function waitJobs(ids: string[]): Promise<void> {
  for (const jobId of ids)
    for (;;) {
      const j = await call<{ state: string; error?: { message: string } }>('GET', `/v1/jobs/${jobId}`);
      if (j.state === 'completed') break;
      if (j.state === 'failed') throw new Error(`job ${jobId} failed: ${j.error?.message}`);
      await sleep(100);
    }
}

/** API request → every chain ready (the jobs end with /readyz answering twice). */
async function viaQueue(entries: Array<Record<string, unknown>>): Promise<number> {
  const t0 = performance.now();
  const accepted = await call<{ jobs: Array<{ jobId: string }> }>('POST', '/v1/chains/import', {
    entries,
    image: IMAGE,
  });
  await waitJobs(accepted.jobs.map((j) => j.jobId));
  return performance.now() - t0;
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
async function plainRun(entry: Record<string, unknown>, restart = false): Promise<Container> {
  const c = await docker.createContainer({
    name: `${prefix}plain-${plainCount++}`,
    Image: IMAGE,
    Cmd: [...argsOf(entry), '-devblocktime=5'],
    Labels: { 'nn.bench': id },
    HostConfig: { RestartPolicy: { Name: restart ? 'always' : 'no' }, NetworkMode: 'none' },
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

export default async function orchestratorBench(): Promise<BenchSection> {
  const runtime = new DockerRuntime({ network: `${prefix}net` });
  const rows: string[] = [];
  const notes: string[] = [];
  try {
    await startOrchestrator();
    // 1. one chain
    const one: Record<'queue' | 'docker', number[]> = { queue: [], docker: [] };
    for (let i = 0; i < RUNS; i++) {
      const entry = { ac_name: `BONE${id.toUpperCase()}${i}`, ac_supply: '1000000' };
      let t0 = performance.now();
      const c = await plainRun(entry);
      await rpcAnswers(c, entry);
      one.docker.push(performance.now() - t0);
      await removePlain();
      t0 = performance.now();
      one.queue.push(await viaQueue([entry]));
      await removeAllChains();
    }
    const r1 = median(one.queue) / median(one.docker);
    rows.push(
      `| 1. one assetchain → ready | API request → job done: **${secs(median(one.queue))} s** | docker run + RPC poll: ${secs(median(one.docker))} s | ${r1.toFixed(2)}× (target ≤ 1.2×: ${r1 <= 1.2 ? 'met' : 'missed'}) |`,
    );

    // 2. the Season 8 chains
    const many: Record<'queue' | 'sequential' | 'parallel', number[]> = {
      queue: [],
      sequential: [],
      parallel: [],
    };
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      for (const e of S8) await rpcAnswers(await plainRun(e), e);
      many.sequential.push(performance.now() - t0);
      await removePlain();
      t0 = performance.now();
      const started = await Promise.all(S8.map((e) => plainRun(e)));
      await Promise.all(started.map((c: Container, k: number) => rpcAnswers(c, S8[k] ?? {})));
      many.parallel.push(performance.now() - t0);
      await removePlain();
      many.queue.push(await viaQueue(S8));
      await removeAllChains();
    }
    const q = median(many.queue);
    const vsPar = q / median(many.parallel);
    const vsSeq = median(many.sequential) / q;
    rows.push(
      `| 2. the ${S8.length} Season 8 assetchains → ready | through the queue: **${secs(q)} s** | parallel docker runs: ${secs(median(many.parallel))} s; one after another (dPoW's way): ${secs(median(many.sequential))} s | ${vsPar.toFixed(2)}× parallel (target ≤ 1.3×: ${vsPar <= 1.3 ? 'met' : 'missed'}); ${vsSeq.toFixed(1)}× faster than sequential (target ≥ 5×: ${vsSeq >= 5 ? 'met' : 'missed'}) |`,
    );

    // 3. recovery
    const rec: Record<'orchestrator' | 'docker', number[]> = { orchestrator: [], docker: [] };
    const recEntry = { ac_name: `BREC${id.toUpperCase()}`, ac_supply: '1000000' };
    const accepted = await call<{ jobs: Array<{ jobId: string; chainId: string }> }>(
      'POST',
      '/v1/chains/import',
      {
        entries: [recEntry],
        image: IMAGE,
      },
    );
    await waitJobs(accepted.jobs.map((j) => j.jobId));
    const chainId = accepted.jobs[0]?.chainId ?? '';
    const unit = `${prefix}${chainId}`;
    for (let i = 0; i < RUNS; i++) {
      const c = await plainRun(recEntry, true);
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

    // 4. memory with 12 and 50 chains
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
    notes.push(
      'Why targets 1 and 2 are missed here: the floor is devchain, which answers RPC about a third of a second after `docker run`. Per chain the orchestrator adds work a stand-in daemon cannot hide: a second container (the sidecar, which owns the namespace and must run before the daemon joins it), the conf files put into the volume, placement in Redis, and the readiness check through the sidecar; on two cores, 11 chains started at once also compete with the orchestrator for CPU. With komodod, start to first RPC answer takes far longer (loading the block index, -28 for minutes on a synced chain), so the same fixed cost is a much smaller share; that is not measured here (no real daemon images on these machines).',
    );
    notes.push(
      `The orchestrator runs as \`node --import tsx orchestrator/app/src/main.ts\` (the TypeScript loader is part of its resident memory). Concurrency 12 workers; devchain blocks every 5 s; plain runs poll RPC with \`devchain-cli getblockcount\` inside the container, as komodo-cli is used on a notary node.`,
    );
    await removeAllChains();
  } finally {
    orchestrator?.kill('SIGTERM');
    await sleep(2_000);
    await removePlain();
    const owned = await runtime
      .listOwned()
      .catch(() => [] as Awaited<ReturnType<DockerRuntime['listOwned']>>);
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
  return {
    title: 'Orchestrator: API → ready, the Season 8 set, recovery, memory (bench/orchestrator.ts)',
    markdown: [
      `Method: medians of ${RUNS} runs per comparison, each side measured in the same run on the same engine, one after the other. "Ready" for the orchestrator is the chain.add job done (unit placed, volume and conf written, daemon and sidecar started, the sidecar's /readyz answering 200 from a fresh look at the daemon); for a plain container it is the first RPC answer.`,
      '',
      '| comparison | orchestrator | floor | ratio / target |',
      '|---|---|---|---|',
      ...rows,
      '',
      ...notes.map((n) => `- ${n}`),
    ].join('\n'),
  };
}

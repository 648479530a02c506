// The orchestrator's resident memory before and after bundling, side by side in one run: the same
// config (API and workers, on the local engine and Redis, under prefixes of its own) started as
// `node --import tsx orchestrator/app/src/main.ts` (how nnctl up ran it before issue 13) and as
// `node dist/orchestrator/nn-orchestrator.mjs` (what the nn/orchestrator image runs), one after the
// other, RUNS times each, alternating. What it made (its network, its Redis keys) is removed at the end.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from '../orchestrator/jobs/src/testing/deps.js';
import { docker } from '../test/helpers/docker.js';
import { REPO_ROOT } from '../test/kit/src/index.js';
import type { BenchSection } from './sidecar-rpc.js';

const RUNS = Number(process.env.NN_BENCH_RUNS ?? 3);
const id = randomBytes(3).toString('hex');
const dir = mkdtempSync(join(tmpdir(), `nn-bench-mem-${id}-`));
const apiPort = 30_000 + Math.floor(Math.random() * 9_000);
const statePrefix = `nnbenchmem:${id}:`;
const queuePrefix = `nnbenchmem${id}`;
const network = `bm${id}-net`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

function writeConfig(): string {
  const keysFile = join(dir, 'keys.json');
  writeFileSync(keysFile, JSON.stringify({ viewer: [], operator: [randomBytes(24).toString('hex')] }), {
    mode: 0o600,
  });
  const config = {
    statePrefix,
    network,
    nodes: [
      {
        name: 'local',
        capacity: {
          memoryBytes: 64 * 1024 ** 3,
          diskBytes: 1024 ** 4,
          p2pPorts: { from: 1024, to: 59_999 },
          sidecarPorts: { from: 60_700, to: 60_799 },
          reservedPorts: [apiPort],
        },
      },
    ],
    api: { listen: `127.0.0.1:${apiPort}`, keysFile },
    jobs: { secretsDir: join(dir, 'secrets'), instance: `bm${id}`, queuePrefix, unitPrefix: `bm${id}-` },
    logLevel: 'warn',
  };
  const file = join(dir, 'orchestrator.json');
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return file;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

async function healthy(): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${apiPort}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Starts it, waits for the API, lets start-up settle, then the smallest of 10 samples over 5 s. */
async function measure(args: readonly string[]): Promise<number> {
  const child: ChildProcess = spawn(process.execPath, [...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const deadline = Date.now() + 120_000;
    while (!(await healthy())) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`${args.join(' ')}: no API within 120 s`);
      await sleep(250);
    }
    await sleep(5_000);
    let low = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 10; i++) {
      low = Math.min(low, rssOf(child.pid ?? 0));
      await sleep(500);
    }
    return low;
  } finally {
    const gone = new Promise((r) => child.once('exit', r));
    if (child.exitCode === null) child.kill('SIGTERM');
    await gone;
  }
}

async function cleanUp(): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  try {
    for (const prefix of [statePrefix, `${queuePrefix}:`]) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
  await docker
    .getNetwork(network)
    .remove()
    .catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

export default async function orchestratorMemoryBench(): Promise<BenchSection> {
  execFileSync(process.execPath, [join(REPO_ROOT, 'images', 'bundle.mjs')], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
  });
  const config = writeConfig();
  const ways = {
    tsx: ['--import', 'tsx', 'orchestrator/app/src/main.ts', '--config', config],
    bundle: [join(REPO_ROOT, 'dist', 'orchestrator', 'nn-orchestrator.mjs'), '--config', config],
  } as const;
  const samples = { tsx: [] as number[], bundle: [] as number[] };
  try {
    for (let run = 0; run < RUNS; run++)
      for (const way of run % 2 === 0 ? (['tsx', 'bundle'] as const) : (['bundle', 'tsx'] as const))
        samples[way].push(await measure(ways[way]));
  } finally {
    await cleanUp();
  }
  const tsx = median(samples.tsx);
  const bundle = median(samples.bundle);
  const markdown = [
    `Method: one orchestrator process (API and workers, both roles, on the local engine and Redis, no chains), started ${RUNS} times each way, alternating; its resident size (VmRSS) is the smallest of 10 samples over 5 s taken 5 s after the API first answers; the table gives the medians.`,
    '',
    '| how it runs | resident memory | runs |',
    '|---|---|---|',
    `| before: \`node --import tsx orchestrator/app/src/main.ts\` (the host process nnctl up ran) | **${mib(tsx)}** | ${samples.tsx.map(mib).join(', ')} |`,
    `| after: \`node dist/orchestrator/nn-orchestrator.mjs\` (the esbuild bundle the nn/orchestrator image runs) | **${mib(bundle)}** | ${samples.bundle.map(mib).join(', ')} |`,
    '',
    `- Bundle / tsx: **${(bundle / tsx).toFixed(2)}×** (${mib(tsx - bundle)} less). Neither loads source maps (the image runs without --enable-source-maps).`,
    `- The orchestrator section above measured 226 MiB under tsx with 12 chains in flight; this one runs none, so the difference is what loading the TypeScript sources through tsx (its loader, esbuild's transform service, every module file on its own) costs over one pre-built file.`,
  ].join('\n');
  return {
    title: 'Orchestrator resident memory: tsx vs the bundle (bench/orchestrator-memory.ts)',
    markdown,
  };
}

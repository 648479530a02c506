// Benchmark: getblockcount through the chain sidecar's /v1/rpc vs straight to the daemon (a KMD
// devchain), in the same run, alternating, at 1 and 32 concurrent keep-alive connections. The sidecar
// runs as its own process (its real entry point) so it does not share an event loop with the load.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { removeHome, startDevchain, tempHome, writeConf } from '../test/helpers/devchain-process.js';
import { freePorts, REPO_ROOT } from '../test/kit/src/index.js';

export interface BenchSection {
  readonly title: string;
  readonly markdown: string;
}

interface Target {
  readonly name: 'direct' | 'sidecar' | 'floor';
  readonly port: number;
  readonly path: string;
  readonly auth: string;
}

interface Sample {
  latenciesMs: number[];
  elapsedMs: number;
  requests: number;
}

const BODY = Buffer.from('{"jsonrpc":"1.0","id":"bench","method":"getblockcount","params":[]}');

function once(agent: Agent, t: Target): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port: t.port,
        path: t.path,
        method: 'POST',
        headers: { authorization: t.auth, 'content-type': 'application/json', 'content-length': BODY.length },
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`${t.name}: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(BODY);
  });
}

/** `count` requests over `conns` keep-alive connections; latency of each and the wall time. */
async function run(t: Target, conns: number, count: number, agent: Agent): Promise<Sample> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < count) {
      next++;
      const t0 = process.hrtime.bigint();
      await once(agent, t);
      latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: conns }, worker));
  return { latenciesMs, elapsedMs: Number(process.hrtime.bigint() - started) / 1e6, requests: count };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

interface Result {
  p50: number;
  p99: number;
  rps: number;
}

function summarise(samples: Sample[]): Result {
  const all = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const requests = samples.reduce((n, s) => n + s.requests, 0);
  const ms = samples.reduce((n, s) => n + s.elapsedMs, 0);
  return { p50: quantile(all, 0.5), p99: quantile(all, 0.99), rps: (requests / ms) * 1000 };
}

async function waitHttp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (r.status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export default async function sidecarRpcBench(
  opts: { rounds?: number; scale?: number } = {},
): Promise<BenchSection> {
  const rounds = opts.rounds ?? 4;
  const scale = opts.scale ?? 1;
  const plan = [
    { conns: 1, count: Math.round(3000 * scale) },
    { conns: 32, count: Math.round(20000 * scale) },
  ];
  const home = tempHome('bench-sidecar-');
  const ports = await freePorts('p2p', 'rpc', 'api', 'floor');
  const password = `bench-${Math.random().toString(36).slice(2)}`;
  const conf = join(home, '.komodo', 'komodo.conf');
  writeConf(conf, {
    rpcuser: 'bench',
    rpcpassword: password,
    rpcport: ports.rpc,
    port: ports.p2p,
    server: 1,
    rpcworkqueue: 256,
  });
  const daemon = startDevchain(['-gen=0', `-port=${ports.p2p}`], home);
  let sidecar: ChildProcess | undefined;
  let floor: ChildProcess | undefined;
  try {
    await daemon.waitReady(60_000);
    const token = `bench-token-${Math.random().toString(36).slice(2)}-0123456789`;
    const tokensFile = join(home, 'tokens.json');
    writeFileSync(tokensFile, JSON.stringify({ viewer: [token] }), { mode: 0o600 });
    const cfgFile = join(home, 'sidecar.json');
    writeFileSync(
      cfgFile,
      JSON.stringify({
        flavour: 'komodo',
        chain: 'KMD',
        listen: `127.0.0.1:${ports.api}`,
        daemon: { conf },
        tokensFile,
        // The benchmark is the load: no rate limit in the way.
        rateLimitPerMinute: 100_000_000,
      }),
      { mode: 0o600 },
    );
    // NN_BENCH_PROFILE=<dir>: a V8 CPU profile of the sidecar, to find what its hot path spends time on.
    const profile = process.env.NN_BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.NN_BENCH_PROFILE}`]
      : [];
    sidecar = spawn(
      process.execPath,
      [
        ...profile,
        '--import',
        'tsx',
        join('services', 'chain-sidecar', 'src', 'main.ts'),
        '--config',
        cfgFile,
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, NN_LOG_LEVEL: 'warn', NN_SIDECAR_STOP_DAEMON: '0' },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    await waitHttp(`http://127.0.0.1:${ports.api}/readyz`, 30_000);
    const daemonAuth = `Basic ${Buffer.from(`bench:${password}`).toString('base64')}`;
    floor = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join('bench', 'floor-proxy.ts'),
        String(ports.floor),
        `http://127.0.0.1:${ports.rpc}`,
        daemonAuth,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      floor?.stdout?.once('data', () => resolve());
      floor?.once('exit', (code) => reject(new Error(`floor proxy exited ${code}`)));
    });

    const targets: Target[] = [
      { name: 'direct', port: ports.rpc, path: '/', auth: daemonAuth },
      { name: 'sidecar', port: ports.api, path: '/v1/rpc', auth: `Bearer ${token}` },
      { name: 'floor', port: ports.floor, path: '/', auth: 'none' },
    ];
    const rows: Array<{ conns: number; count: number; direct: Result; sidecar: Result; floor: Result }> = [];
    for (const { conns, count } of plan) {
      const agents = new Map(targets.map((t) => [t.name, new Agent({ keepAlive: true, maxSockets: conns })]));
      const agentOf = (t: Target) => agents.get(t.name) as Agent;
      // Warm-up: JIT, connection pools on both sides, the sidecar's conf cache.
      for (const t of targets) await run(t, conns, Math.max(500, Math.round(count / 10)), agentOf(t));
      const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
      for (let r = 0; r < rounds; r++) {
        // Alternate the order each round so neither side always runs on a warmer machine.
        const order = r % 2 === 0 ? targets : [...targets].reverse();
        for (const t of order)
          samples.get(t.name)?.push(await run(t, conns, Math.round(count / rounds), agentOf(t)));
      }
      for (const a of agents.values()) a.destroy();
      rows.push({
        conns,
        count,
        direct: summarise(samples.get('direct') ?? []),
        sidecar: summarise(samples.get('sidecar') ?? []),
        floor: summarise(samples.get('floor') ?? []),
      });
    }

    const f = (n: number, d = 3) => n.toFixed(d);
    const lines = [
      'Method: a KMD devchain process and the sidecar program (`node --import tsx services/chain-sidecar/src/main.ts`,',
      'its own process) on loopback; the load generator is a third process using `node:http` keep-alive agents with',
      'one socket per connection. `getblockcount` goes straight to the daemon (Basic auth), through `POST /v1/rpc`',
      '(Bearer token, rate limit, JSON parse, allowlist, forward, metrics), and through a no-op forwarder',
      '(bench/floor-proxy.ts: node:http in, undici out, no checks: the cost of any extra Node HTTP hop on this',
      `machine). The three alternate in ${rounds} rounds per connection count, after a warm-up of each. Latency is per`,
      'request, from send to the end of the reply; requests/s = requests / summed round time. The machine is shared:',
      'other jobs running at the same time move the numbers between runs.',
      '',
      '| connections | requests | path | p50 ms | p99 ms | requests/s |',
      '|---|---|---|---|---|---|',
    ];
    for (const r of rows) {
      for (const [name, x] of [
        ['direct', r.direct],
        ['sidecar', r.sidecar],
        ['floor (no-op forwarder)', r.floor],
      ] as const) {
        lines.push(`| ${r.conns} | ${r.count} | ${name} | ${f(x.p50)} | ${f(x.p99)} | ${f(x.rps, 0)} |`);
      }
    }
    const one = rows.find((r) => r.conns === 1);
    const many = rows.find((r) => r.conns === 32);
    lines.push('');
    if (one) {
      const added = one.sidecar.p50 - one.direct.p50;
      lines.push(
        `- Added p50 latency at 1 connection: **${f(added)} ms** (target < 0.5 ms: ${added < 0.5 ? 'met' : 'missed'}); ` +
          `a no-op forwarder adds ${f(one.floor.p50 - one.direct.p50)} ms.`,
      );
    }
    if (many) {
      const ratio = many.sidecar.rps / many.direct.rps;
      lines.push(
        `- Throughput via sidecar / direct at 32 connections: **${f(ratio * 100, 1)}%** (target ≥ 80%: ${ratio >= 0.8 ? 'met' : 'missed'}); ` +
          `no-op forwarder / direct: ${f((many.floor.rps / many.direct.rps) * 100, 1)}%.`,
      );
    }
    return { title: 'Chain sidecar RPC pass-through (bench/sidecar-rpc.ts)', markdown: lines.join('\n') };
  } finally {
    if (floor) await stopChild(floor);
    if (sidecar) await stopChild(sidecar);
    await daemon.kill('SIGTERM');
    removeHome(home);
  }
}

// Sidecar resident memory (issue 14, item 1), side by side in one run on the local engine: a bare Node
// HTTP server (the project's node base image, `node -e createServer`), the chain sidecars and the
// Iguana sidecar, in their images as a unit runs them (nn/chain-sidecar, nn/iguana-sidecar, with the
// images' own node flags), at 12 and then 50 chains: KMD and assetchains on devchain, each assetchain
// bridged to KMD, one Iguana unit (deviguana) with a coin per chain, bridged to each chain's sidecar.
// Settled: after rounds of /v1/status, /metrics and /v1/rpc on every sidecar, the smallest of several
// VmRSS samples (/proc/<pid>/status of the container's node, pid 1 in it). One extra assetchain unit's
// sidecar carries a preload that reports V8's heap spaces on SIGUSR2 (the breakdown); its RSS is not
// in the medians. Everything it made (one project label) is removed at the end.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { iguanaPassphraseKey, toHex } from '../services/chain-crypto/src/index.js';
import { docker, removeProject } from '../test/helpers/docker.js';
import { createNetwork, newToken, startUnit, type Unit, type UnitFile } from '../test/helpers/units.js';
import { REPO_ROOT } from '../test/kit/src/index.js';
import type { BenchSection } from './sidecar-rpc.js';

// NN_BENCH_SIDECAR_STAGES=12 for a quick look; the section in docs/benchmarks.md is 12 and 50.
const STAGES = (process.env.NN_BENCH_SIDECAR_STAGES ?? '12,50').split(',').map(Number);
const SAMPLES = 6;
const id = randomBytes(3).toString('hex');
const project = `nnbsm-${id}`;
const network = `${project}-net`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MiB = 2 ** 20;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const kmdTokens = { viewer: [newToken()], operator: [newToken()] };
const iguanaTokens = { viewer: [newToken()], operator: [newToken()] };

/** Reports process.memoryUsage() and V8's heap spaces to /data/nn/v8.json on SIGUSR2 (bench only). */
const REPORTER = `import v8 from 'node:v8'; import { writeFileSync } from 'node:fs';
process.on('SIGUSR2', () => writeFileSync('/data/nn/v8.json', JSON.stringify({
  usage: process.memoryUsage(), heap: v8.getHeapStatistics(), spaces: v8.getHeapSpaceStatistics() })));\n`;

interface ChainUnit extends Unit {
  readonly chain: string;
  readonly tokens: { viewer: string[]; operator: string[] };
}

const SIDECAR_ENV = ['NN_LOG_LEVEL=info'];

async function startKmd(): Promise<ChainUnit> {
  const unit = await startUnit({
    name: `${project}-kmd`,
    project,
    network,
    daemonArgs: ['-devblocktime=20'],
    tokens: kmdTokens,
    sidecarEnv: SIDECAR_ENV,
    sidecar: {
      flavour: 'komodo',
      chain: 'KMD',
      listen: '0.0.0.0:8080',
      daemon: { conf: '/data/.komodo/komodo.conf', datadir: '/data/.komodo' },
    },
    files: [
      {
        path: '/data/.komodo/komodo.conf',
        content: `rpcuser=kmd\nrpcpassword=${randomBytes(16).toString('hex')}\nrpcport=7771\nport=7770\nserver=1\n`,
      },
    ],
  });
  return { ...unit, chain: 'KMD', tokens: kmdTokens };
}

async function startAssetchain(n: number, extra?: { env: string[]; files: UnitFile[] }): Promise<ChainUnit> {
  const chain = `BSM${n}`;
  const tokens = { viewer: [newToken()], operator: [newToken()] };
  const unit = await startUnit({
    name: `${project}-${chain.toLowerCase()}`,
    project,
    network,
    daemonArgs: [`-ac_name=${chain}`, `-ac_supply=${1000 + n}`, '-devblocktime=20'],
    tokens,
    sidecarEnv: [...SIDECAR_ENV, ...(extra?.env ?? [])],
    sidecar: {
      flavour: 'komodo',
      chain,
      listen: '0.0.0.0:8080',
      daemon: { conf: `/data/.komodo/${chain}/${chain}.conf`, datadir: `/data/.komodo/${chain}` },
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
    },
    files: [{ path: '/data/nn/kmd.token', content: `${kmdTokens.viewer[0]}\n` }, ...(extra?.files ?? [])],
  });
  return { ...unit, chain, tokens };
}

/** One Iguana unit (deviguana and the Iguana sidecar) with KMD and every assetchain as coins, dPoW off. */
async function startIguana(stage: number, chains: readonly ChainUnit[]): Promise<Unit> {
  const passphrase = `bench sidecar-memory ${id}`;
  const key = iguanaPassphraseKey(passphrase);
  const pubkey = toHex(key.publicKey);
  const elected = JSON.stringify({
    port: 17775,
    BTCminsigs: 1,
    minsigs: 1,
    seeds: ['127.0.0.1'],
    notaries: [{ dev_NN: pubkey }],
  });
  const coins = chains.map((c) =>
    c.chain === 'KMD'
      ? {
          kind: 'kmd',
          upstream: `http://${c.name}-sidecar:8080`,
          tokenFile: '/data/nn/kmd.token',
          dpow: false,
        }
      : {
          kind: 'assetchain',
          upstream: `http://${c.name}-sidecar:8080`,
          tokenFile: `/data/nn/${c.chain}.token`,
          assetchain: { ac_name: c.chain, ac_supply: String(1000 + Number(c.chain.slice(3))) },
          dpow: false,
        },
  );
  return startUnit({
    name: `${project}-iguana${stage}`,
    project,
    network,
    sidecarImage: 'nn/iguana-sidecar:latest',
    daemonImage: 'nn/deviguana:latest',
    daemonArgs: ['notary', '--elected', '/data/nn/elected', '--devnet', '--pollms', '300'],
    tokens: iguanaTokens,
    sidecarEnv: SIDECAR_ENV,
    sidecar: {
      listen: '0.0.0.0:8080',
      iguanaPort: 7776,
      electedFile: '/data/nn/elected',
      passphraseFile: '/data/nn/passphrase',
      notaryPubkey: pubkey,
      myipaddr: '127.0.0.1',
      home: '/data',
      tokensFile: '/data/nn/tokens.json',
      pollIntervalMs: 1_000,
      coins,
    },
    files: [
      { path: '/data/nn/elected', content: elected },
      { path: '/data/nn/passphrase', content: `${passphrase}\n` },
      ...chains.map((c) => ({
        path: `/data/nn/${c.chain === 'KMD' ? 'kmd' : c.chain}.token`,
        content: `${c.tokens.operator[0]}\n`,
      })),
    ],
  });
}

/** The bare anchor: node:http answering every request, in the same node base image the sidecars use. */
async function startBare(name: string, flags: readonly string[], env: readonly string[]): Promise<Unit> {
  const code =
    "require('http').createServer((q,s)=>{s.writeHead(200,{'content-type':'application/json'});s.end('{\"ok\":true}\\n')}).listen(8080);process.on('SIGTERM',()=>process.exit(0))";
  const c = await docker.createContainer({
    name: `${project}-${name}`,
    Image: `nn/node-base:${process.versions.node}`,
    Entrypoint: ['node', ...flags, '-e', code],
    Env: [...env],
    User: '10001:10001',
    Labels: { 'nn.managed-by': 'notary-control-plane', 'nn.project': project },
    HostConfig: { NetworkMode: network },
  });
  await c.start();
  const info = await c.inspect();
  const ip = info.NetworkSettings.Networks[network]?.IPAddress;
  return { name, sidecarId: c.id, daemonId: '', url: `http://${ip}:8080` };
}

async function hit(url: string, init: RequestInit = {}): Promise<number> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function waitReady(u: Unit, path = '/readyz'): Promise<void> {
  const deadline = Date.now() + 180_000;
  while ((await hit(`${u.url}${path}`)) !== 200) {
    if (Date.now() > deadline) throw new Error(`${u.name}: ${path} not 200 within 180 s`);
    await sleep(500);
  }
}

/** A unit's everyday traffic: status (as the orchestrator polls it), a scrape, RPC calls. */
async function exercise(chains: readonly ChainUnit[], iguana: Unit): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await Promise.all(
      chains.map(async (c) => {
        const auth = { authorization: `Bearer ${c.tokens.viewer[0]}` };
        await hit(`${c.url}/v1/status`, { headers: auth });
        await hit(`${c.url}/metrics`);
        for (const method of ['getblockcount', 'getinfo'])
          await hit(`${c.url}/v1/rpc`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ method, params: [], id: 1 }),
          });
      }),
    );
    const auth = { authorization: `Bearer ${iguanaTokens.viewer[0]}` };
    await hit(`${iguana.url}/v1/status`, { headers: auth });
    await hit(`${iguana.url}/metrics`);
    await sleep(1_000);
  }
}

async function pidOf(containerId: string): Promise<number> {
  return (await docker.getContainer(containerId).inspect()).State.Pid;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

/** Resident bytes by mapping: node's own binary (code and read-only data), malloc's heap, the rest anonymous. */
function smapsOf(pid: number): { binary: number; malloc: number; anon: number; libs: number } {
  const out = { binary: 0, malloc: 0, anon: 0, libs: 0 };
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      name = head[1] ?? '';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss) continue;
    const bytes = Number(rss[1]) * 1024;
    if (name.endsWith('/node')) out.binary += bytes;
    else if (name === '[heap]') out.malloc += bytes;
    else if (name === '' || name.startsWith('[')) out.anon += bytes;
    else out.libs += bytes;
  }
  return out;
}

/**
 * A process's proportional share (Pss: each shared page divided among the processes mapping it) and its
 * private pages (USS), from /proc/<pid>/smaps_rollup. The sidecars of one image map node's binary from
 * the same image layer file, so its pages sit once in the page cache for all of them: VmRSS counts them
 * in every sidecar, Pss shares them out, USS leaves them out (what one more sidecar adds).
 */
function shareOf(pid: number): { pss: number; uss: number } {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { pss: kb('Pss'), uss: kb('Private_Clean') + kb('Private_Dirty') };
}

/** The smallest of SAMPLES VmRSS readings per container, half a second apart. */
async function settledRss(ids: readonly string[]): Promise<number[]> {
  const pids = await Promise.all(ids.map(pidOf));
  const low = pids.map(() => Number.POSITIVE_INFINITY);
  for (let i = 0; i < SAMPLES; i++) {
    pids.forEach((pid, k) => {
      low[k] = Math.min(low[k] ?? Number.POSITIVE_INFINITY, rssOf(pid));
    });
    await sleep(500);
  }
  return low;
}

interface V8Report {
  usage: NodeJS.MemoryUsage;
  heap: { total_heap_size: number; used_heap_size: number; external_memory: number };
  spaces: Array<{ space_name: string; space_used_size: number; physical_space_size: number }>;
}

async function v8Report(containerId: string): Promise<V8Report> {
  const c = docker.getContainer(containerId);
  await c.kill({ signal: 'SIGUSR2' });
  await sleep(1_000);
  const exec = await c.exec({ Cmd: ['cat', '/data/nn/v8.json'], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  // The attach stream is multiplexed: 8-byte frame headers before each payload.
  const raw = Buffer.concat(chunks);
  const parts: Buffer[] = [];
  for (let at = 0; at + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as V8Report;
}

interface StageResult {
  readonly chains: number;
  readonly bare: number;
  readonly bareFlags: number;
  readonly assetchains: number[];
  readonly kmd: number;
  readonly iguana: number;
  /** Pss and USS, read once after the RSS samples: the bare server (defaults), assetchains, Iguana. */
  readonly share: {
    readonly bare: { pss: number; uss: number };
    readonly assetchains: ReadonlyArray<{ pss: number; uss: number }>;
    readonly iguana: { pss: number; uss: number };
  };
  readonly probe: { rss: number; smaps: ReturnType<typeof smapsOf>; v8: V8Report };
  readonly iguanaSmaps: ReturnType<typeof smapsOf>;
  readonly kmdSmaps: ReturnType<typeof smapsOf>;
}

function breakdownRows(r: StageResult): string[] {
  const { smaps, v8, rss } = r.probe;
  const space = (n: string) => v8.spaces.find((s) => s.space_name === n)?.physical_space_size ?? 0;
  const heapRest =
    v8.heap.total_heap_size -
    space('old_space') -
    space('new_space') -
    space('code_space') -
    space('large_object_space');
  return [
    `| node's own binary (its code and read-only data, file-backed pages it touched) | ${mib(smaps.binary)} | ${mib(r.iguanaSmaps.binary)} |`,
    `| V8 heap: old space (objects, bytecode, the bundle's functions as they ran) | ${mib(space('old_space'))} | — |`,
    `| V8 heap: large objects (the bundle's source text: one string for the process's life) | ${mib(space('large_object_space'))} | — |`,
    `| V8 heap: code space (compiled machine code) | ${mib(space('code_space'))} | — |`,
    `| V8 heap: new space (the young generation, 1 MiB semi-spaces) | ${mib(space('new_space'))} | — |`,
    `| V8 heap: the rest (map, read-only, trusted spaces) | ${mib(Math.max(0, heapRest))} | — |`,
    `| outside V8's heap: ArrayBuffers/Buffers (external) | ${mib(v8.usage.external)} | — |`,
    `| anonymous mappings in all (V8's heap, thread stacks, buffers) | ${mib(smaps.anon)} | ${mib(r.iguanaSmaps.anon)} |`,
    `| malloc's heap (libuv, OpenSSL, V8's compiler zones) | ${mib(smaps.malloc)} | ${mib(r.iguanaSmaps.malloc)} |`,
    `| shared libraries (libc, libstdc++, ...) | ${mib(smaps.libs)} | ${mib(r.iguanaSmaps.libs)} |`,
    `| **resident in all (VmRSS)** | **${mib(rss)}** | **${mib(r.iguana)}** |`,
  ];
}

/**
 * A unit whose sidecar exited at once (seen once on this shared machine, with the engine busy): its
 * logs are shown, the unit is removed, and it is started once more.
 */
async function withRetry(start: () => Promise<ChainUnit>, n: number): Promise<ChainUnit> {
  try {
    return await start();
  } catch (err) {
    const name = `${project}-bsm${n}`;
    const sidecar = docker.getContainer(`${name}-sidecar`);
    const logs = await sidecar.logs({ stdout: true, stderr: true, tail: 20 }).catch(() => Buffer.from(''));
    process.stdout.write(`  ${name}: ${String(err)}; sidecar logs:\n${logs.toString('utf8')}\n`);
    for (const c of [`${name}-daemon`, `${name}-sidecar`])
      await docker
        .getContainer(c)
        .remove({ force: true })
        .catch(() => undefined);
    await docker
      .getVolume(`${name}-data`)
      .remove()
      .catch(() => undefined);
    return start();
  }
}

async function runStage(
  target: number,
  chains: ChainUnit[],
  probe: ChainUnit,
  bare: Unit,
  bareFlags: Unit,
): Promise<StageResult> {
  while (chains.length < target)
    chains.push(await withRetry(() => startAssetchain(chains.length), chains.length));
  for (const c of chains) await waitReady(c);
  const iguana = await startIguana(target, chains);
  await waitReady(iguana, '/healthz');
  // The start-up sequence (walletpassphrase, addcoin per coin) runs in the background: give it time.
  await sleep(15_000);
  await exercise([...chains, probe], iguana);
  await Promise.all([hit(bare.url), hit(bareFlags.url)]);
  await sleep(5_000);
  const ids = [
    bare.sidecarId,
    bareFlags.sidecarId,
    iguana.sidecarId,
    probe.sidecarId,
    ...chains.map((c) => c.sidecarId),
  ];
  const [bareRss = 0, bareFlagsRss = 0, iguanaRss = 0, probeRss = 0, ...chainRss] = await settledRss(ids);
  const share = async (cid: string) => shareOf(await pidOf(cid));
  const shares = {
    bare: await share(bare.sidecarId),
    assetchains: await Promise.all(chains.slice(1).map((c) => share(c.sidecarId))),
    iguana: await share(iguana.sidecarId),
  };
  const v8 = await v8Report(probe.sidecarId);
  const result: StageResult = {
    share: shares,
    chains: target,
    bare: bareRss,
    bareFlags: bareFlagsRss,
    kmd: chainRss[0] ?? 0,
    assetchains: chainRss.slice(1),
    iguana: iguanaRss,
    probe: { rss: probeRss, smaps: smapsOf(await pidOf(probe.sidecarId)), v8 },
    iguanaSmaps: smapsOf(await pidOf(iguana.sidecarId)),
    kmdSmaps: smapsOf(await pidOf(chains[0]?.sidecarId ?? '')),
  };
  // The next stage starts an Iguana unit of its own with every chain as a coin.
  await docker.getContainer(iguana.daemonId).remove({ force: true });
  await docker.getContainer(iguana.sidecarId).remove({ force: true });
  return result;
}

/** What was done for the target, what was tried and left, and what is next (issue 14, item 1). */
export const NOTES = [
  'What brought the chain sidecar from 93 MiB (bench/orchestrator.ts before issue 14) to the figures above:',
  "- The bundle minified and ASCII-only (images/bundle.mjs): V8 keeps a module's whole source as one string for the life of the process, and the 5.5 MB bundle had non-ASCII characters in comments, so it was stored two bytes a character (11 MiB). Now 1.3-1.9 MB at one byte.",
  '- No bitcoin-core (it brought request, lodash, sshpk, psl, bunyan: ~8 MiB of heap when loaded): the status calls are a small JSON-RPC POST over node:http with json-bigint (daemon/call.ts).',
  "- No undici: the bridges post over node:http (daemon/post.ts) and the pass-through forwards over node:net (helper G's api/upstream-pool.ts). undici compiles its own llhttp to WebAssembly in every process: +11 MiB resident measured with one request.",
  '- `--max-semi-space-size=1`: V8 grows each young-generation semi-space to 16 MiB; a sidecar keeps few young objects (-13 MiB measured). No measurable CPU per request (wrk, 32 connections: 66-98 vs 76-94 µs of sidecar CPU per request, noise on a shared 2-core machine).',
  '- `MALLOC_TRIM_THRESHOLD_=0`: glibc otherwise kept ~12 MiB of memory freed after start-up (parsing and compiling) in its heap.',
  'Tried and left out:',
  "- `--jitless` (or `--lite-mode`) takes another ~6 MiB (fewer of node's binary pages, no compiled code), but doubles the sidecar's CPU per request: 137-148 µs vs 59-69 µs with wrk at 32 connections (measured by hand, 2026-12-04, local bundle against devchain), which the pass-through target (item 4) cannot afford.",
  '- `--v8-pool-size=0`, `--single-threaded-gc`, `MALLOC_ARENA_MAX`, `--optimize-for-size`, `--max-old-space-size`: within noise (±2 MiB).',
  "Why ≤ 50 MiB is still missed, and the next steps: a bare Node HTTP server in the same image is already ~48 MiB here (node's own binary pages are ~35 of it), so the target leaves ~2 MiB for the sidecar itself. What the sidecar adds over bare node is ~8 MiB of V8 heap (Fastify with ajv, fast-json-stringify, find-my-way and avvio; zod schemas built at load, the contract's reply schemas included, which the sidecar itself never parses with; prom-client; pino) and ~5-7 MiB more of node's binary touched by the optimizing compiler. What an operator pays per chain is the sidecar's private memory (USS, the table above), not its VmRSS: node's binary pages are shared by every sidecar of the image. Next: the non-RPC routes on node:http without Fastify in both sidecars (~2.6 MiB heap and ~5 MiB resident measured for Fastify alone), the config checked with a schema module that does not build the reply schemas, and pino without its worker-thread transport paths.",
];

function render(results: StageResult[]): string {
  const rows = results.map((r) => {
    const ac = median(r.assetchains);
    const target = 50 * MiB;
    const verdict = (b: number) => (b <= target ? 'met' : 'missed');
    return `| ${r.chains} | ${mib(r.bare)} / ${mib(r.bareFlags)} | **${mib(ac)}** (${(ac / r.bare).toFixed(2)}×; max ${mib(Math.max(...r.assetchains))}) — ${verdict(ac)} | ${mib(r.kmd)} (${(r.kmd / r.bare).toFixed(2)}×) — ${verdict(r.kmd)} | **${mib(r.iguana)}** (${(r.iguana / r.bare).toFixed(2)}×) — ${verdict(r.iguana)} |`;
  });
  const last = results[results.length - 1];
  return [
    `Method: on the local engine, units as the orchestrator runs them (a sidecar container owning the network namespace, the daemon joining it, one data volume): KMD and assetchains on devchain (blocks every 20 s), each assetchain bridged to KMD through its sidecar, and one Iguana unit (deviguana, the Iguana sidecar with KMD and every assetchain as coins, dPoW off, each coin bridged to its chain's sidecar). ${STAGES.join(' and then ')} chains on one engine; at each, after every sidecar has answered 3 rounds of /v1/status, /metrics and two /v1/rpc calls (the Iguana sidecar /v1/status and /metrics), each container's node (pid 1 in it) is read ${SAMPLES} times, 0.5 s apart, from /proc/<pid>/status (VmRSS); the smallest reading counts. The images run as shipped: esbuild bundles, \`node --max-semi-space-size=1\`, MALLOC_TRIM_THRESHOLD_=0. The anchor is a bare \`node -e "http.createServer(...)"\` in the same node base image, once with node's defaults and once with the sidecars' flags and environment.`,
    '',
    '| chains | bare Node HTTP server (defaults / sidecar flags) | one assetchain sidecar (median; vs bare defaults) | KMD sidecar (every bridge calls it) | Iguana sidecar |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'Target: ≤ 50 MiB resident per sidecar.',
    '',
    "What the sidecars cost the machine together: VmRSS counts node's binary pages in every process, but the sidecars of one image map that binary from the same image layer file, so the page cache holds its pages once for all of them. The proportional share (Pss, shared pages divided among the processes that map them) and the private pages (USS: what one more sidecar adds), from /proc/<pid>/smaps_rollup, read once after the RSS samples:",
    '',
    '| chains | bare Node HTTP server Pss / USS | one assetchain sidecar Pss / USS (median) | Iguana sidecar Pss / USS | every assetchain sidecar together (sum of Pss) |',
    '|---|---|---|---|---|',
    ...results.map((r) => {
      const pss = r.share.assetchains.map((x) => x.pss);
      const uss = r.share.assetchains.map((x) => x.uss);
      return `| ${r.chains} | ${mib(r.share.bare.pss)} / ${mib(r.share.bare.uss)} | **${mib(median(pss))} / ${mib(median(uss))}** | ${mib(r.share.iguana.pss)} / ${mib(r.share.iguana.uss)} | ${mib(pss.reduce((a, b) => a + b, 0))} for ${pss.length} (VmRSS would say ${mib(r.assetchains.reduce((a, b) => a + b, 0))}) |`;
    }),
    '',
    ...(last
      ? [
          `Where an assetchain sidecar's memory goes (${last.chains} chains; one more assetchain unit whose sidecar also loads a 3-line preload that writes V8's heap statistics on SIGUSR2; its VmRSS ${mib(last.probe.rss)}), and the Iguana sidecar's mappings:`,
          '',
          '| part | assetchain sidecar | Iguana sidecar |',
          '|---|---|---|',
          ...breakdownRows(last),
          '',
          `V8 heap in all: ${mib(last.probe.v8.heap.total_heap_size)} committed, ${mib(last.probe.v8.heap.used_heap_size)} used. The KMD sidecar's mappings: binary ${mib(last.kmdSmaps.binary)}, anonymous ${mib(last.kmdSmaps.anon)}, malloc ${mib(last.kmdSmaps.malloc)}.`,
        ]
      : []),
    '',
    ...NOTES,
  ].join('\n');
}

export default async function sidecarMemoryBench(): Promise<BenchSection> {
  // The images as a unit runs them, built from this tree (docker's cache makes it quick when unchanged).
  execFileSync('bash', ['images/build.sh'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const results: StageResult[] = [];
  try {
    await createNetwork(network, project);
    const bare = await startBare('bare', [], []);
    const bareFlags = await startBare(
      'bare-flags',
      ['--max-semi-space-size=1'],
      ['MALLOC_TRIM_THRESHOLD_=0'],
    );
    const chains: ChainUnit[] = [await startKmd()];
    await waitReady(chains[0] as ChainUnit);
    const probe = await startAssetchain(999, {
      env: ['NODE_OPTIONS=--import=/data/nn/v8-report.mjs'],
      files: [{ path: '/data/nn/v8-report.mjs', content: REPORTER, mode: 0o644 }],
    });
    for (const stage of STAGES) {
      process.stdout.write(`  sidecar-memory: ${stage} chains ...\n`);
      results.push(await runStage(stage, chains, probe, bare, bareFlags));
    }
  } finally {
    await removeProject(project);
  }
  return { title: 'Sidecar resident memory (bench/sidecar-memory.ts)', markdown: render(results) };
}

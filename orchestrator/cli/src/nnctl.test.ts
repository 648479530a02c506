import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ApiHarness,
  apiHarness,
  nodeInput,
  OPERATOR_KEY,
  season8Entries,
  TEST_REDIS_URL,
  VIEWER_KEY,
} from '@nn/orchestrator-api/testing';
import { runProcess } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestWorker, type TestWorker } from './testing/test-worker.js';

// nnctl as a process (tsx) against a real API server on a free port, real Redis and a real BullMQ queue,
// with a small real worker that walks jobs through their steps: waiting, progress lines, exit codes and
// --json output are what an operator's shell sees.

// Every test runs nnctl (a tsx process, a second or two each) several times.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/assetchains.s8.json', import.meta.url));

let h: ApiHarness;
let worker: TestWorker;
let api: string;
let dir: string;
let operatorKey: string;
let viewerKey: string;

beforeAll(async () => {
  h = await apiHarness();
  await h.state.nodes.upsert(nodeInput('node-a', 40));
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  api = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  worker = startTestWorker({
    redisUrl: TEST_REDIS_URL,
    queueName: h.queue.name,
    prefix: h.queuePrefix,
    state: h.state,
    stepDelayMs: 100,
  });
  dir = mkdtempSync(join(tmpdir(), 'nnctl-'));
  operatorKey = join(dir, 'operator.key');
  writeFileSync(operatorKey, `${OPERATOR_KEY}\n`, { mode: 0o600 });
  // The API's own keys file format works too (what `nnctl up` will write).
  viewerKey = join(dir, 'viewer.json');
  writeFileSync(viewerKey, JSON.stringify({ viewer: [VIEWER_KEY] }), { mode: 0o600 });
});
afterAll(async () => {
  await worker?.close();
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

function nnctl(args: string[], env: Record<string, string> = {}) {
  return runProcess(TSX, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', NN_API_URL: api, NN_API_KEY_FILE: operatorKey, ...env },
  });
}

const fast = ['--poll-interval', '50'];

describe('nnctl chain add', () => {
  it('adds a chain from --param, waits step by step (plain lines off a TTY) and exits 0', async () => {
    const run = await nnctl([
      ...fast,
      'chain',
      'add',
      'DOC',
      '--param',
      'ac_supply=10000000000',
      '--param',
      'ac_reward=100000000',
      '--param',
      'addnode=1.2.3.4',
      '--param',
      'addnode=5.6.7.8',
    ]);
    expect(run.stderr).toContain('doc chain.add [11/11] done');
    // One line per step seen (polling may skip a quick one), in the order of the job's steps.
    const seen = [...run.stderr.matchAll(/^doc chain\.add \[(\d+)\/11\]/gm)].map((m) => Number(m[1]));
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(run.stderr).not.toContain('\x1b[');
    expect(run.stdout).toBe('✓ doc chain.add completed\n');
    expect(run.code).toBe(0);
    const record = await h.state.chains.get('doc');
    expect(record.status).toBe('ready');
    expect(record.spec.entry).toEqual({
      ac_name: 'DOC',
      ac_supply: '10000000000',
      ac_reward: '100000000',
      addnode: ['1.2.3.4', '5.6.7.8'],
    });
  });

  it('adds from --file with --node, and --json prints only the final job on stdout', async () => {
    const file = join(dir, 'ccl.json');
    writeFileSync(file, JSON.stringify(season8Entries()[0]));
    const run = await nnctl([...fast, '--json', 'chain', 'add', '--file', file, '--node', 'node-a']);
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout);
    expect(job).toMatchObject({ name: 'chain.add', chainId: 'ccl', state: 'completed', step: 'done' });
    expect(run.stderr).toContain('ccl chain.add [11/11] done');
    expect((await h.state.chains.get('ccl')).spec.requestedNode).toBe('node-a');
  });

  it('exits 1 with the reason when the job fails', async () => {
    const run = await nnctl([...fast, 'chain', 'add', 'FAILX', '--param', 'ac_supply=10']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✗ failx chain.add failed: images: image nn/failx:1 is missing');
    expect(run.stderr).toContain('nnctl: failx chain.add failed: images: image nn/failx:1 is missing');
    const json = await nnctl([...fast, '--json', 'chain', 'add', 'FAILY', '--param', 'ac_supply=10']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      state: 'failed',
      error: { message: expect.stringMatching(/failY|faily/i) },
    });
  });

  it('exits 1 naming the field when the API refuses the entry, and --json prints the error body', async () => {
    const run = await nnctl([
      'chain',
      'add',
      'BAD',
      '--param',
      'ac_supply=10',
      '--param',
      'rpcpassword=hunter2',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('400 validation: entry.rpcpassword: unknown key');
    const json = await nnctl([
      '--json',
      'chain',
      'add',
      'CCL',
      '--param',
      'ac_supply=200000000',
      '--no-wait',
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: expect.objectContaining({ code: 'conflict', field: 'entry.ac_name' }),
    });
    expect(await h.state.chains.find('bad')).toBeUndefined();
  });

  it('returns at once with --no-wait, printing the queued job', async () => {
    const run = await nnctl(['--json', 'chain', 'add', 'NOWAIT', '--param', 'ac_supply=10', '--no-wait']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      jobId: expect.stringMatching(/^add-nowait-/),
      name: 'chain.add',
      chainId: 'nowait',
    });
    expect(run.stderr).toBe('');
  });

  it('queues an upgrade to a named image, and needs --image', async () => {
    const missing = await nnctl(['chain', 'upgrade', 'nowait']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--image <image>' not specified");
    const run = await nnctl([
      '--json',
      'chain',
      'upgrade',
      'nowait',
      '--image',
      'nn/devchain:0.2.0',
      '--no-wait',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'chain.upgrade', chainId: 'nowait' });
    const hostile = await nnctl(['chain', 'upgrade', 'nowait', '--image', 'x;rm -rf /', '--no-wait']);
    expect(hostile.code).toBe(1);
    expect(hostile.stderr).toMatch(/400 validation: image/);
  });
});

describe('nnctl chain import, ls, rm, restart', () => {
  it('imports the Season 8 file and waits for every chain', async () => {
    // a fresh prefix would be cleaner, but CCL exists: import the other ten plus check all-or-nothing
    const refused = await nnctl([...fast, 'chain', 'import', FIXTURE]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('409 conflict: entries[0].ac_name');
    expect(await h.state.chains.find('clc')).toBeUndefined();

    const rest = join(dir, 'rest.json');
    writeFileSync(rest, JSON.stringify(season8Entries().slice(1)));
    const run = await nnctl([...fast, 'chain', 'import', rest]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('queued 10 chain(s)');
    expect(run.stdout.trim().split('\n')).toHaveLength(10);
    expect(run.stdout).toContain('✓ gleec-old chain.add completed');
  });

  it('lists chains as a table and as JSON', async () => {
    const table = await nnctl(['chain', 'ls'], { NN_API_KEY_FILE: viewerKey });
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+AC_NAME\s+STATUS\s+NODE\s+P2P\s+RPC\s+IMAGE$/);
    expect(table.stdout).toMatch(/\nccl\s+CCL\s+ready\s+/);
    const json = await nnctl(['--json', 'chain', 'ls'], { NN_API_KEY_FILE: viewerKey });
    const ids = (JSON.parse(json.stdout).chains as Array<{ id: string }>).map((c) => c.id);
    expect(ids).toContain('gleec-old');
    expect(ids).toContain('doc');
  });

  it('removes (keeping data) and restarts a chain, waiting for each', async () => {
    const restart = await nnctl([...fast, 'chain', 'restart', 'ccl', '--reason', 'config change']);
    expect(restart.code).toBe(0);
    expect(restart.stderr).toContain('ccl chain.restart [5/5] done');
    const rm = await nnctl([...fast, '--json', 'chain', 'rm', 'doc', '--keep-data']);
    expect(rm.code).toBe(0);
    expect(JSON.parse(rm.stdout)).toMatchObject({ name: 'chain.remove', state: 'completed' });
    expect(await h.state.chains.find('doc')).toBeUndefined();
    const job = await h.queue.queue.getJob(JSON.parse(rm.stdout).id);
    expect(job?.data).toMatchObject({ chainId: 'doc', keepData: true });
    const missing = await nnctl(['chain', 'rm', 'doc']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('404 not_found: id: chain "doc" does not exist');
  });
});

describe('nnctl jobs, job, status', () => {
  it('lists jobs and shows one, as tables and JSON', async () => {
    const list = await nnctl(['--json', 'jobs', '--chain', 'ccl']);
    expect(list.code).toBe(0);
    const jobs = JSON.parse(list.stdout).jobs as Array<{ id: string; name: string }>;
    expect(jobs.map((j) => j.name)).toEqual(['chain.restart', 'chain.add']);
    const table = await nnctl(['jobs', '--state', 'failed']);
    expect(table.stdout).toMatch(/^ID\s+JOB\s+CHAIN\s+STATE\s+STEP\s+CREATED\s+ERROR\n/);
    expect(table.stdout).toContain('image nn/failx:1 is missing');
    const one = await nnctl(['--json', 'job', jobs[0]?.id ?? '']);
    expect(JSON.parse(one.stdout)).toMatchObject({ id: jobs[0]?.id, state: 'completed' });
    const human = await nnctl(['job', jobs[0]?.id ?? '']);
    expect(human.stdout).toMatch(/\nstate\s+completed\n/);
    const bad = await nnctl(['job', '../etc']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/400 validation: id/);
  });

  it('shows status for a viewer', async () => {
    // What the workers' poller stores from the sidecars (KMD's and one chain's) shows in the table.
    const live = {
      synced: true,
      connections: 0,
      notarizedLag: 10,
      notaryUtxos: 7,
      balance: 1,
      at: Date.now(),
    };
    const sunset = { dpowActive: false, checkpoint: { height: 490, hash: 'ab'.repeat(32) } };
    await h.state.live.put({ base: 'kmd' }, { ...live, ...sunset, blocks: 500, notarized: 490 }, 60_000);
    await h.state.live.put(
      { chain: 'ccl' },
      { ...live, dpowActive: true, blocks: 120, notarized: 110, walletBytes: 2_400_000 },
      60_000,
    );
    // The destination (litecoind): no notarisations or dPoW of its own, its wallet in <datadir>/wallets.
    await h.state.live.put(
      { base: 'ltc' },
      {
        ...live,
        blocks: 2_000,
        notarized: null,
        notarizedLag: null,
        notaryUtxos: 12,
        balance: 3.25,
        walletBytes: 10_400_000,
        dpowActive: null,
      },
      60_000,
    );
    await h.state.live.put(
      { base: 'iguana' },
      {
        coins: [
          { name: 'CCL', registered: true, status: 'active', lastNotarisedHeight: 110 },
          { name: 'LTC', registered: true, status: 'active' },
        ],
      },
      60_000,
    );
    const run = await nnctl(['status'], { NN_API_KEY_FILE: viewerKey });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`API ${api}: up, Redis up`);
    expect(run.stdout).toMatch(/\nnode-a\s+yes\s+/);
    expect(run.stdout).toMatch(
      /\nCHAIN\s+NODE\s+HEIGHT\s+SYNCED\s+PEERS\s+NOTARIZED\s+LAG\s+UTXOS\s+BALANCE\s+WALLET\s+DPOW\s+CHECKPOINT\s+STATUS\n/,
    );
    // KMD past its sunset (komodod v0.9.2): dPoW off whatever Iguana says, and the latest checkpoint.
    expect(run.stdout).toMatch(/\nKMD\s+-\s+500\s+yes\s+0\s+490\s+10\s+7\s+1\s+-\s+off\s+490\s+node unit\n/);
    // LTC right below KMD, with its balance and wallet.dat size (what a wallet reset changes).
    expect(run.stdout).toMatch(
      /\nKMD .*\nLTC\s+-\s+2000\s+yes\s+0\s+-\s+-\s+12\s+3\.25\s+10\.4 MB\s+active\s+-\s+node unit\n/,
    );
    expect(run.stdout).toMatch(
      /\nccl\s+\S+\s+120\s+yes\s+0\s+110\s+10\s+7\s+1\s+2\.4 MB\s+active\s+-\s+ready\n/,
    );
    // A chain with no fresh status shows dashes, not stale numbers.
    expect(run.stdout).toMatch(/\nkoin\s+\S+\s+-\s+-\s+-\s+-\s+-\s+-\s+-\s+-\s+-\s+-\s+ready\n/);
    const json = JSON.parse((await nnctl(['--json', 'status'], { NN_API_KEY_FILE: viewerKey })).stdout);
    expect(json.api).toEqual({ url: api, ok: true, redis: 'up' });
    expect(json.summary.ready).toBeGreaterThanOrEqual(11);
    // Balance and wallet size in --json too (what a wallet reset changes).
    expect(json.chains.find((c: { chain: string }) => c.chain === 'ccl')).toMatchObject({
      balance: 1,
      walletBytes: 2_400_000,
    });
    expect(json.chains.find((c: { chain: string }) => c.chain === 'LTC')).toMatchObject({
      status: 'node unit',
      height: 2_000,
      balance: 3.25,
      walletBytes: 10_400_000,
      dpow: 'active',
    });
  });

  it('says why and what was tried for a chain and a node unit being repaired (table and --json)', async () => {
    const next = new Date(Date.now() + 30_000);
    await h.state.repairs.failed(
      { chain: 'koin' },
      {
        lastError: 'register: Iguana: POST http://127.0.0.1:1/v1/coins: no answer (connect ECONNREFUSED)',
        action: 'chain.restart',
        waitingFor: 'iguana',
        nextRetryAt: next,
      },
    );
    await h.state.repairs.failed(
      { chain: 'koin' },
      { lastError: 'again', action: 'chain.restart', waitingFor: 'iguana', nextRetryAt: next },
    );
    await h.state.repairs.failed(
      { unit: 'iguana' },
      { lastError: 'unit t-iguana was not ready within 180 s', action: 'deploy' },
    );
    try {
      const run = await nnctl(['status'], { NN_API_KEY_FILE: viewerKey });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /\nrepairs:\n {2}node unit iguana: deploy failed, 1 try since \S+: unit t-iguana was not ready/,
      );
      expect(run.stdout).toMatch(
        new RegExp(
          `\\n  koin: chain.restart waits for iguana, 2 tries since \\S+, next try ${next.toISOString().replace(/\.\d+Z$/, 'Z')}: again\\n`,
        ),
      );
      const json = JSON.parse((await nnctl(['--json', 'status'], { NN_API_KEY_FILE: viewerKey })).stdout);
      const koin = json.chains.find((r: { chain: string }) => r.chain === 'koin');
      expect(koin.repair).toMatchObject({
        attempts: 2,
        action: 'chain.restart',
        waitingFor: 'iguana',
        lastError: 'again',
      });
      expect(koin.repair.nextRetryAt).toBe(next.toISOString());
      expect(json.nodeUnits.iguana).toMatchObject({ attempts: 1, action: 'deploy' });
      expect(json.chains.find((r: { chain: string }) => r.chain === 'ccl').repair).toBeUndefined();
    } finally {
      await h.state.repairs.clear({ chain: 'koin' });
      await h.state.repairs.clear({ unit: 'iguana' });
    }
  });
});

describe('nnctl refusals', () => {
  it('401 without a key, 403 with a viewer key, exit 1 with a hint', async () => {
    const anon = await nnctl(['chain', 'restart', 'ccl'], { NN_API_KEY_FILE: '' });
    expect(anon.code).toBe(1);
    expect(anon.stderr).toContain('401 unauthorized');
    expect(anon.stderr).toContain('--key-file');
    const viewer = await nnctl(['chain', 'restart', 'ccl'], { NN_API_KEY_FILE: viewerKey });
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toContain('403 forbidden');
  });

  it('exit 3 when the API is unreachable, 2 for usage errors and unsafe key files', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const down = await nnctl(['--api', `http://127.0.0.1:${port}`, 'chain', 'ls']);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('cannot reach the orchestrator API');
    expect((await nnctl(['chain', 'add', '--param', 'ac_supply=1'])).code).toBe(2);
    expect((await nnctl(['chain', 'frobnicate'])).code).toBe(2);
    const open = join(dir, 'open.key');
    writeFileSync(open, OPERATOR_KEY);
    chmodSync(open, 0o644);
    const unsafe = await nnctl(['chain', 'ls'], { NN_API_KEY_FILE: open });
    expect(unsafe.code).toBe(2);
    expect(unsafe.stderr).toContain('must not be readable by others');
    expect(unsafe.stderr).not.toContain(OPERATOR_KEY);
  });
});

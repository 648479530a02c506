import type { JobsConfigInput, JobsRuntime } from '@nn/orchestrator-jobs';
import { eventually } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execIn } from '../helpers/docker.js';
import { createEnv, type Env, type FakeIguana, fakeIguana, unitResources, waitForJob } from './harness.js';
import { sats, total, type Wallet, walletOf } from './wallet-helpers.js';

// The wallet chores on devchain assetchains through the real engine and Redis: chain.wallet-reset (the
// whole balance survives, the old wallet.dat is kept beside the new one) and its refusals, and
// chain.consolidate (non-notary outputs merged, notary-size P2PK ones left alone).

let env: Env;
let iguana: FakeIguana;
let config: JobsConfigInput;
let jobs: JobsRuntime;

let rpc: ReturnType<typeof walletOf>['rpc'];
let settled: ReturnType<typeof walletOf>['settled'];
const readyChain = (suffix: string, supply?: number) =>
  walletOf(env).readyChain(jobs, `NNW${env.id.toUpperCase()}${suffix}`, supply);

beforeAll(async () => {
  env = await createEnv();
  iguana = await fakeIguana(env.dir);
  config = env.baseConfig({
    queueName: 'wallet',
    iguana: {
      url: iguana.url,
      operatorTokenFile: iguana.tokenFile,
      node: 'local',
      volume: `t${env.id}-iguana-data`,
      splitUtxos: 10,
    },
  });
  await env.runtime.ensureVolume('local', `t${env.id}-iguana-data`, `t${env.id}-iguana`);
  jobs = await env.start(config);
  ({ rpc, settled } = walletOf(env));
}, 120_000);

afterAll(async () => {
  await iguana?.close();
  await env?.cleanup();
});

describe('chain.wallet-reset', () => {
  it('moves the whole balance into a fresh wallet.dat, keeps the old one, and registers again', async () => {
    const spec = await readyChain('R');
    const unit = `t${env.id}-${spec.id}`;
    // A used wallet: several outputs, one of them locked as Iguana locks the outputs it means to use.
    // One at a time: devchain's wallet, like komodod's, spends only confirmed change by default.
    for (let i = 0; i < 5; i++) {
      await rpc(spec, 'sendtoaddress', [env.notary.address, 1 + i]);
      await settled(spec);
    }
    const [locked] = await rpc<Array<{ txid: string; vout: number }>>(spec, 'listunspent');
    await rpc(spec, 'lockunspent', [false, [{ txid: locked?.txid, vout: locked?.vout }]]);
    const before = await rpc<Wallet>(spec, 'getwalletinfo');
    const outputsBefore = (await rpc<unknown[]>(spec, 'listunspent')).length;
    const addedBefore = iguana.added.length;

    const view = await waitForJob(jobs, await jobs.queue.resetWallet(spec.id, 'manual', 'tester'));
    expect(view.error).toBeNull();
    expect(view.state).toBe('completed');
    const result = view.result as {
      walletBackup: string;
      balanceBefore: number;
      fee: number;
      txid: string;
      walletBytesBefore: number;
      walletBytesAfter: number;
    };
    // The notary mines: blocks between our look and the preflight add their reward.
    expect(result.balanceBefore).toBeGreaterThanOrEqual(before.balance);
    expect(result.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(result.walletBackup).toMatch(
      new RegExp(`^/data/\\.komodo/${spec.identity.acName}/wallet\\.dat\\.\\d{8}T\\d{6}Z\\.bak$`),
    );

    // The old wallet is kept beside the new, smaller one.
    const ls = await execIn(`${unit}-daemon`, [
      'node',
      '-e',
      `const f=require('fs');process.stdout.write(JSON.stringify([f.statSync(${JSON.stringify(result.walletBackup)}).size,f.statSync('/data/.komodo/${spec.identity.acName}/wallet.dat').size]))`,
    ]);
    const [oldSize, newSize] = JSON.parse(ls.stdout) as [number, number];
    // The self-send and the blocks mined meanwhile were still written to the old wallet after the preflight.
    expect(oldSize).toBeGreaterThanOrEqual(result.walletBytesBefore);
    expect(newSize).toBeLessThan(oldSize);

    // Nothing lost: the new wallet holds everything (the fee comes back as the notary's coinbase).
    await settled(spec);
    const after = await rpc<Wallet>(spec, 'getwalletinfo');
    expect(total(after)).toBeGreaterThanOrEqual(total(before) - sats(result.fee));
    expect((await rpc<unknown[]>(spec, 'listunspent')).length).toBeLessThan(outputsBefore);
    expect((await rpc<{ ismine: boolean }>(spec, 'validateaddress', [env.notary.address])).ismine).toBe(true);
    expect((await env.state.chains.get(spec.id)).status).toBe('ready');
    expect(await unitResources(env.runtime, unit)).toEqual({
      containers: [`${unit}-daemon`, `${unit}-sidecar`],
      volumes: [`${unit}-data`],
    });
    // Split again, and Iguana asked to have the coin (it still had it: "exists" is done).
    expect(iguana.splits.some((s) => s.name === spec.identity.acName)).toBe(true);
    expect(iguana.added.length).toBe(addedBefore);
  }, 180_000);

  it('refuses a wallet with an unconfirmed balance, before any change', async () => {
    const spec = await readyChain('U', 2_000_000);
    const unit = `t${env.id}-${spec.id}`;
    await rpc(spec, 'setgenerate', [false]);
    try {
      await rpc(spec, 'sendtoaddress', [env.notary.address, 3]);
      const daemonBefore = (await env.runtime.inspectUnit(unit)).daemon?.id;
      const view = await waitForJob(jobs, await jobs.queue.resetWallet(spec.id, 'manual'));
      expect(view.state).toBe('failed');
      expect(view.error?.message).toMatch(
        /preflight: the wallet has [\d.]+ unconfirmed: wait until it confirms/,
      );
      expect(view.attemptsMade).toBe(1);
      // The daemon was not stopped, and no wallet was set aside.
      const h = await env.runtime.inspectUnit(unit);
      expect(h.state).toBe('running');
      expect(h.daemon?.id).toBe(daemonBefore);
      const ls = await execIn(`${unit}-daemon`, ['ls', `/data/.komodo/${spec.identity.acName}`]);
      expect(ls.stdout).not.toMatch(/wallet\.dat\..*\.bak/);
      expect((await env.state.chains.get(spec.id)).status).toBe('ready');
    } finally {
      await rpc(spec, 'setgenerate', [true, 1]);
    }
  }, 120_000);
});

describe('chain.consolidate', () => {
  it('merges every non-notary output into one and leaves the notary-size P2PK outputs alone', async () => {
    const spec = await readyChain('C', 3_000_000);
    // Ten small P2PKH outputs to the notary address. devchain's blocks pay 0.0001 to the -pubkey as P2PK
    // (a chain without -ac_reward), which is exactly the notary-size output Iguana notarises with.
    for (let i = 0; i < 10; i++) {
      await rpc(spec, 'sendtoaddress', [env.notary.address, 0.5]);
      await settled(spec);
    }
    const p2pk = `21${env.notary.pubkey}ac`;
    type Out = { txid: string; vout: number; scriptPubKey: string; amount: number };
    const isNotary = (u: Out) => u.scriptPubKey === p2pk && sats(u.amount) === 10_000;
    // Blocks without a transaction pay exactly 0.0001: wait for a few of them.
    await eventually(
      async () => expect((await rpc<Out[]>(spec, 'listunspent')).filter(isNotary).length).toBeGreaterThan(2),
      30_000,
    );
    const before = await rpc<Out[]>(spec, 'listunspent');
    const notaryBefore = before.filter(isNotary).map((u) => `${u.txid}:${u.vout}`);
    const otherBefore = before.length - notaryBefore.length;
    expect(otherBefore).toBeGreaterThanOrEqual(10);
    expect(notaryBefore.length).toBeGreaterThan(0);

    const view = await waitForJob(jobs, await jobs.queue.consolidateChain(spec.id, 'tester'));
    expect(view.error).toBeNull();
    const result = view.result as { merged: number; notaryUtxosKept: number; transactions: unknown[] };
    // Blocks mined meanwhile add coinbase outputs carrying fees (not notary-size): merged too.
    expect(result.merged).toBeGreaterThanOrEqual(otherBefore);
    expect(result.transactions).toHaveLength(1);
    expect(result.notaryUtxosKept).toBeGreaterThanOrEqual(notaryBefore.length);
    await settled(spec);
    const after = await rpc<Out[]>(spec, 'listunspent');
    const afterSet = new Set(after.map((u) => `${u.txid}:${u.vout}`));
    for (const o of notaryBefore) expect(afterSet.has(o), o).toBe(true);
    // What is left besides the notary outputs: the merged one, and coinbases mined since (with fees).
    expect(after.filter((u) => !isNotary(u)).length).toBeLessThanOrEqual(4);
  }, 120_000);
});

describe('the automatic wallet reset', () => {
  it('resets a ready chain whose wallet.dat passed the threshold, once', async () => {
    const spec = await readyChain('A', 4_000_000);
    // A worker with the status poller on and a threshold every wallet passes.
    const poller = await env.start(
      { ...config, walletResetBytes: 1, liveStatusEveryMs: 1_000 },
      { liveStatus: true },
    );
    try {
      const reset = await eventually(async () => {
        const found = (await jobs.queue.recent(50, undefined, spec.id)).find(
          (j) => j.name === 'chain.wallet-reset',
        );
        expect(found?.state).toBe('completed');
        return found;
      }, 120_000);
      const job = await jobs.queue.queue.getJob(reset?.id as string);
      expect(job?.data).toEqual({ chainId: spec.id, trigger: 'auto', requestedBy: 'status-poller' });
      // Asked for once: the claim holds for an hour however many rounds see the wallet still large.
      await new Promise((r) => setTimeout(r, 3_000));
      const resets = (await jobs.queue.recent(50, undefined, spec.id)).filter(
        (j) => j.name === 'chain.wallet-reset',
      );
      expect(resets).toHaveLength(1);
      expect((await env.state.chains.get(spec.id)).status).toBe('ready');
    } finally {
      await poller.close();
    }
  }, 180_000);
});

import { fromHex, LTC_PREFIXES, p2pkhAddress } from '@nn/chain-crypto';
import { type BaseUnits, removeBaseUnits } from '@nn/node-units';
import type { JobsConfigInput, JobsRuntime, JobView } from '@nn/orchestrator-jobs';
import { eventually, ProcessTracker } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execIn } from '../helpers/docker.js';
import { crashThenRecover } from './crash-runner.js';
import { createEnv, type Env, sidecarRpc, waitForJob } from './harness.js';
import { fundedNodeUnits } from './node-units-env.js';
import { sats, type Wallet } from './wallet-helpers.js';

// The node's own wallets on the real engine: node.consolidate of KMD and LTC (`nnctl node consolidate`),
// and node.wallet-reset of the destination chain (`nnctl node wallet-reset ltc`), also with its worker
// killed after the set-aside (the main chain's crash cases are in node-wallet-reset.test.ts). The
// devnet node's LTC unit is devchain as litecoind 0.21 (flavour bitcoin), so the reset takes Bitcoin
// Core's paths: signrawtransactionwithwallet, importprivkey without rescan then rescanblockchain, the
// wallet dir's rules. The devnet's litecoind mines a block a second to its own wallet's key (a real
// notary's does not mine): those coinbases, immature when the reset begins, stay with that key in the
// kept wallet, so what is compared is the spendable balance the reset moves, not the immature one.

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

let env: Env;
let base: BaseUnits;
let jobs: JobsRuntime;
let config: JobsConfigInput;
let prefix: string;
let ltcUnit: string;

const ltc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
  const { endpoint } = await env.runtime.inspectUnit(ltcUnit);
  const r = await sidecarRpc(endpoint as string, base.secrets.ltc.operator, method, params);
  if (r.error) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
};
const running = async (unit: string) => (await env.runtime.inspectUnit(unit).catch(() => undefined))?.state;
/** The kept wallets, in either place litecoind's wallet dir may be (<datadir>/wallets, else the datadir). */
const backups = async () => {
  const r = await execIn(`${ltcUnit}-daemon`, [
    'sh',
    '-c',
    'ls /data/.litecoin /data/.litecoin/wallets 2>/dev/null',
  ]);
  return r.stdout.split(/\s+/).filter((f) => /^wallet\.dat\.\d{8}T\d{6}Z\.bak$/.test(f));
};

async function settled(): Promise<Wallet> {
  await eventually(
    async () => expect((await ltc<Wallet>('getwalletinfo')).unconfirmed_balance).toBe(0),
    30_000,
  );
  return ltc<Wallet>('getwalletinfo');
}

type ResetResult = {
  unit: string;
  walletBackup: string;
  balanceBefore: number;
  fee: number;
  txid: string | null;
  split: { by: string };
};

/** The spendable balance the reset moved is in the new wallet, which holds the notary key; units up. */
async function expectMoved(before: Wallet, result: ResetResult): Promise<void> {
  expect(result.unit).toBe(ltcUnit);
  expect(result.txid).toMatch(/^[0-9a-f]{64}$/);
  // litecoind 0.21 makes <datadir>/wallets only when it makes the datadir itself; the unit's datadir
  // holds litecoin.conf before the first start, so the wallet dir is the datadir.
  expect(result.walletBackup).toMatch(/^\/data\/\.litecoin\/wallet\.dat\.\d{8}T\d{6}Z\.bak$/);
  expect(sats(result.balanceBefore)).toBeGreaterThanOrEqual(sats(before.balance));
  const after = await ltc<Wallet & { walletname: string }>('getwalletinfo');
  expect(after.walletname).toBe('');
  const held = sats(after.balance) + sats(after.immature_balance) + sats(after.unconfirmed_balance);
  expect(held).toBeGreaterThanOrEqual(sats(result.balanceBefore) - sats(result.fee));
  const send = await ltc<{ confirmations: number }>('gettransaction', [result.txid]);
  expect(send.confirmations).toBeGreaterThanOrEqual(1);
  const address = p2pkhAddress(fromHex(base.secrets.pubkey), LTC_PREFIXES);
  const notary = await ltc<{ ismine: boolean }>('getaddressinfo', [address]);
  expect(notary.ismine).toBe(true);
  // Iguana splits LTC itself once it runs again: litecoind has no nn_split.
  expect(result.split.by).toBe('iguana');
  for (const u of ['ltc', 'kmd', 'iguana']) expect(await running(`${prefix}${u}`), u).toBe('running');
}

beforeAll(async () => {
  env = await createEnv();
  ({ prefix, base, config } = await fundedNodeUnits(env, 'nwallet-ltc'));
  ltcUnit = `${prefix}ltc`;
  jobs = await env.start(config);
});

afterAll(async () => {
  if (env)
    await removeBaseUnits(env.runtime, prefix, { volumes: true, timeoutSec: 5 }).catch(() => undefined);
  await env?.cleanup();
});

const kmd = async <T>(method: string, params: unknown[] = []): Promise<T> => {
  const { endpoint } = await env.runtime.inspectUnit(`${prefix}kmd`);
  const r = await sidecarRpc(endpoint as string, base.secrets.kmd.operator, method, params);
  if (r.error) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
};

type Unspent = { txid: string; vout: number; amount: number; scriptPubKey: string };
const notaryUtxos = (list: Unspent[]) =>
  list.filter((u) => sats(u.amount) === 10_000 && u.scriptPubKey === `21${base.secrets.pubkey}ac`);

type Rpc = <T>(method: string, params?: unknown[]) => Promise<T>;
type MergeResult = {
  merged: number;
  notaryUtxosKept: number;
  transactions: Array<{ txid: string; fee: number; amount: number }>;
};

/** Runs a consolidation (`run` gives its finished view) and checks it merged without losing a coin. */
async function consolidateAndCheck(rpc: Rpc, run: () => Promise<JobView>): Promise<void> {
  await eventually(
    async () => expect((await rpc<Wallet>('getwalletinfo')).unconfirmed_balance).toBe(0),
    30_000,
  );
  const before = await rpc<Unspent[]>('listunspent', [1]);
  const others = before.length - notaryUtxos(before).length;
  expect(others).toBeGreaterThanOrEqual(2);
  const view = await run();
  expect(view.error).toBeNull();
  const r = view.result as MergeResult;
  expect(r.merged).toBeGreaterThanOrEqual(others);
  expect(r.transactions.length).toBeGreaterThanOrEqual(1);
  // Iguana may spend notary UTXOs meanwhile (the devnet notarises): what is checked is that the job's
  // transactions never did.
  expect(r.notaryUtxosKept).toBeGreaterThan(0);
  const notaryBefore = new Set(notaryUtxos(before).map((u) => `${u.txid}:${u.vout}`));
  for (const t of r.transactions) {
    const { hex } = await rpc<{ hex: string }>('gettransaction', [t.txid]);
    const tx = await rpc<{ vin: Array<{ txid: string; vout: number }> }>('decoderawtransaction', [hex]);
    for (const i of tx.vin)
      expect(notaryBefore.has(`${i.txid}:${i.vout}`), `${i.txid}:${i.vout}`).toBe(false);
  }
  const after = await rpc<Unspent[]>('listunspent', [1]);
  // The merged output is there; the others were spent into it.
  const last = r.transactions.at(-1) as { txid: string; amount: number };
  expect(after.some((u) => u.txid === last.txid && u.vout === 0 && sats(u.amount) === last.amount)).toBe(
    true,
  );
  // No coin lost: what left the outputs seen before is in the merged output, less the fees (outputs
  // that matured after the look may have joined it too).
  const fees = r.transactions.reduce((a, t) => a + t.fee, 0);
  const spent = before.filter((u) => !after.some((a) => a.txid === u.txid && a.vout === u.vout));
  expect(spent.length).toBeGreaterThanOrEqual(others);
  expect(last.amount + fees).toBeGreaterThanOrEqual(spent.reduce((a, u) => a + sats(u.amount), 0));
}

describe('nnctl node consolidate: node.consolidate of the main and the destination wallet', () => {
  it.each([
    ['main', () => kmd],
    ['destination', () => ltc],
  ] as const)(
    '%s: every output but the notary UTXOs merged into one, nothing lost',
    async (target, rpcOf) => {
      await consolidateAndCheck(rpcOf(), async () =>
        waitForJob(jobs, await jobs.queue.consolidateNodeWallet(target, 'tester'), 240_000),
      );
    },
  );
});

describe('nnctl node wallet-reset ltc: node.wallet-reset of the destination on the real engine', () => {
  it('moves the spendable LTC into a fresh wallet, keeps the old one, and starts Iguana again', async () => {
    const before = await settled();
    expect(before.balance).toBeGreaterThan(0);
    const view = await waitForJob(jobs, await jobs.queue.resetNodeWallet('destination', 'tester'), 240_000);
    expect(view.error).toBeNull();
    await expectMoved(before, view.result as ResetResult);
    expect(await backups()).toHaveLength(1);
  });

  it.each([
    [
      'send-to-self|signed',
      'the self-send signed with signrawtransactionwithwallet and noted, not broadcast',
    ],
    ['set-aside|set aside', 'LTC stopped, its wallet set aside'],
    ['import-key|imported', 'the key imported and rescanned into the wallet created again'],
  ])('a worker killed at %s (%s): a fresh worker finishes, one wallet kept', async (crashAt) => {
    await jobs.worker?.close();
    const crashConfig = { ...config, queueName: `nwallet-ltc-${crashAt.split('|')[0]}` };
    const producer = await env.start(crashConfig, { worker: false });
    const before = await settled();
    const kept = (await backups()).length;
    const id = await producer.queue.resetNodeWallet('destination');
    const workers = new ProcessTracker();
    try {
      const { view } = await crashThenRecover(workers, env, crashConfig, crashAt, id);
      await expectMoved(before, view.result as ResetResult);
    } finally {
      await workers.close(0);
    }
    expect(await backups()).toHaveLength(kept + 1);
    const owned = (await env.runtime.listOwned()).filter((r) => r.unit === ltcUnit && r.kind === 'container');
    expect(owned).toHaveLength(2);
  });
});

describe('node.consolidate survives its worker being killed', () => {
  it.each<readonly ['main' | 'destination', string, string]>([
    ['main', 'send|sent', 'right after a broadcast'],
    ['destination', 'send|signed', 'signed and noted, before the broadcast'],
  ])('%s killed at %s (%s): a fresh worker sends the noted bytes and finishes', async (target, crashAt) => {
    await jobs.worker?.close();
    const crashConfig = { ...config, queueName: `nconsolidate-${target}` };
    const producer = await env.start(crashConfig, { worker: false });
    const workers = new ProcessTracker();
    try {
      // KMD's coinbases (to the notary's pubkey) mature one a second, LTC's to its wallet's key: outputs
      // to merge again.
      await consolidateAndCheck(target === 'main' ? kmd : ltc, async () => {
        const id = await producer.queue.consolidateNodeWallet(target);
        return (await crashThenRecover(workers, env, crashConfig, crashAt, id)).view;
      });
    } finally {
      await workers.close(0);
    }
  });
});

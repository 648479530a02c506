import { type BaseUnits, loadProfile, removeBaseUnits } from '@nn/node-units';
import type { JobsConfigInput, JobsRuntime } from '@nn/orchestrator-jobs';
import { eventually } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEnv, type Env, sidecarRpc, waitForJob } from './harness.js';
import { fundedNodeUnits } from './node-units-env.js';
import { sats, total, type Wallet } from './wallet-helpers.js';

// node.wallet-reset of Komodo Classic's main chain on the real engine: the node units of
// networks/kmdclassic.json with their stand-ins (devchain run as kmdclassicd, datadir .kmdclassic; LTC;
// Iguana's kmdclassic stand-in), as `nnctl up --network kmdclassic --stand-ins` lays them out. kmdclassicd
// has nn_split (kmdclassic/KmdClassic rpc/notaries.cpp), so the fresh wallet is split by the daemon
// itself into the 10 000-satoshi P2PK notary outputs, not by Iguana.

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

let env: Env;
let base: BaseUnits;
let jobs: JobsRuntime;
let config: JobsConfigInput;
let prefix: string;

const kmd = async <T>(method: string, params: unknown[] = []): Promise<T> => {
  const { endpoint } = await env.runtime.inspectUnit(`${prefix}kmd`);
  const r = await sidecarRpc(endpoint as string, base.secrets.kmd.operator, method, params);
  if (r.error) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
};

beforeAll(async () => {
  env = await createEnv();
  const profile = loadProfile('kmdclassic', { standIns: true });
  ({ prefix, base, config } = await fundedNodeUnits(env, 'nwallet-kmdcl', profile));
  jobs = await env.start(config);
});

afterAll(async () => {
  if (env)
    await removeBaseUnits(env.runtime, prefix, { volumes: true, timeoutSec: 5 }).catch(() => undefined);
  await env?.cleanup();
});

describe('nnctl node wallet-reset kmdcl: the main chain of Komodo Classic', () => {
  it("moves the whole KMDCL balance into a fresh wallet and splits it with kmdclassicd's nn_split", async () => {
    await eventually(
      async () => expect((await kmd<Wallet>('getwalletinfo')).unconfirmed_balance).toBe(0),
      30_000,
    );
    const before = await kmd<Wallet>('getwalletinfo');
    expect(before.balance).toBeGreaterThan(0);
    const view = await waitForJob(jobs, await jobs.queue.resetNodeWallet('main', 'tester'), 240_000);
    expect(view.error).toBeNull();
    const r = view.result as {
      unit: string;
      walletBackup: string;
      fee: number;
      txid: string;
      split: { by: string; txid?: string; count: number };
    };
    expect(r.unit).toBe(`${prefix}kmd`);
    expect(r.walletBackup).toMatch(/^\/data\/\.kmdclassic\/wallet\.dat\.\d{8}T\d{6}Z\.bak$/);
    expect(r.split).toMatchObject({
      by: 'nn_split',
      count: 5,
      txid: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // nn_split's outputs: 10 000 satoshis each to <pubkey> OP_CHECKSIG, in the new wallet.
    const split = await kmd<{ vout: Array<{ value: number; scriptPubKey: { hex: string } }> }>(
      'getrawtransaction',
      [r.split.txid, 1],
    );
    const notary = split.vout.filter(
      (o) => sats(o.value) === 10_000 && o.scriptPubKey.hex === `21${base.secrets.pubkey}ac`,
    );
    expect(notary).toHaveLength(5);
    // Nothing lost: the reset's fee and nn_split's 0.0001 are all that left the wallet.
    const after = await kmd<Wallet>('getwalletinfo');
    expect(total(after)).toBeGreaterThanOrEqual(total(before) - sats(r.fee) - 10_000);
    expect((await kmd<{ ismine: boolean }>('validateaddress', [base.secrets.address])).ismine).toBe(true);
  });
});

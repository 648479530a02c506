import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildChainSpec, type ChainSpec } from '@nn/orchestrator-core';
import type { JobsRuntime } from '@nn/orchestrator-jobs';
import { eventually } from '@nn/testkit';
import { expect } from 'vitest';
import { DEVCHAIN_IMAGE, type Env, sidecarRpc, waitForJob } from './harness.js';

// Wallet look-ups for the day-2 job tests, through the unit's sidecar with the chain's operator token.

export interface Wallet {
  balance: number;
  unconfirmed_balance: number;
  immature_balance: number;
}

export const sats = (x: number) => Math.round(x * 1e8);
/** Everything the wallet counts: spendable, unconfirmed and immature. */
export const total = (w: Wallet) => sats(w.balance) + sats(w.immature_balance) + sats(w.unconfirmed_balance);

export function walletOf(env: Env) {
  const operatorOf = (chainId: string) =>
    readFileSync(join(env.dir, 'secrets', 'chains', chainId, 'operator.token'), 'utf8').trim();

  async function rpc<T>(chain: ChainSpec, method: string, params: unknown[] = []): Promise<T> {
    const { endpoint } = await env.runtime.inspectUnit(`t${env.id}-${chain.id}`);
    const r = await sidecarRpc(endpoint as string, operatorOf(chain.id), method, params);
    if (r.error) throw new Error(`${method}: ${r.error.message}`);
    return r.result as T;
  }

  /** Waits until nothing in the wallet is unconfirmed. */
  const settled = (spec: ChainSpec) =>
    eventually(
      async () => expect((await rpc<Wallet>(spec, 'getwalletinfo')).unconfirmed_balance).toBe(0),
      30_000,
    );

  /** A ready assetchain whose premine (coinbase maturity 1) is spendable by the notary key. */
  async function readyChain(jobs: JobsRuntime, name: string, supply = 1_000_000): Promise<ChainSpec> {
    // komodod derives the p2p port from the chain's magic: move the supply until it is in the node's range.
    let spec: ChainSpec;
    for (let s = supply; ; s++) {
      spec = buildChainSpec(
        { entry: { ac_name: name, ac_supply: String(s), ac_cbmaturity: '1' } },
        { image: DEVCHAIN_IMAGE },
      );
      if (spec.ports.p2p < 60_000 && spec.ports.rpc < 60_000) break;
    }
    await env.state.chains.create(spec);
    const view = await waitForJob(jobs, await jobs.queue.addChain(spec.id));
    expect(view.error).toBeNull();
    await eventually(
      async () => expect((await rpc<Wallet>(spec, 'getwalletinfo')).balance).toBeGreaterThan(supply / 2),
      30_000,
    );
    return spec;
  }

  return { rpc, settled, readyChain };
}

import { PermanentError } from '@nn/orchestrator-core';
import { SidecarClient } from '@nn/sidecar-clients';
import type { ChainJobContext } from '../context.js';
import { sidecarUrlOf } from '../steps/wait-ready.js';
import { notaryAddress } from '../wallet/reset-plan.js';
import { MAX_INPUTS_PER_TX, type SelfSend, selfSend } from '../wallet/self-send.js';
import { type Unspent, WalletRpc } from '../wallet/wallet-rpc.js';
import { requirePlacement } from './restart-chain.js';

/** Iguana's notarisation outputs: P2PK to the notary pubkey of 0.0001 (notary-facts §6). */
export const NOTARY_UTXO_SATS = 10_000;

/** What a consolidation did, whichever wallet it merged. */
export interface MergeOutcome {
  readonly transactions: readonly SelfSend[];
  /** Outputs merged, over all transactions. */
  readonly merged: number;
  /** Notary-size P2PK outputs left alone. */
  readonly notaryUtxosKept: number;
}

export interface ConsolidateResult extends MergeOutcome {
  readonly chainId: string;
}

/** True for an output Iguana notarises with: `21<pubkey>ac` of exactly the notary size. */
export function isNotaryUtxo(u: Unspent, pubkey: string): boolean {
  return u.amount === NOTARY_UTXO_SATS && u.scriptPubKey.toLowerCase() === `21${pubkey.toLowerCase()}ac`;
}

/**
 * chain.consolidate: the chain's wallet merged (mergeOutputs) once the chain is ready and its daemon
 * synced.
 */
export async function consolidate(ctx: ChainJobContext): Promise<ConsolidateResult> {
  const { state, config } = ctx.deps;
  const chain = await state.chains.get(ctx.chainId);
  requirePlacement(ctx, chain.placement);
  const notary = config.notary;
  if (!notary)
    throw new PermanentError('no notary key is configured: consolidation merges into the notary address');
  if (chain.status !== 'ready')
    throw new PermanentError(`the chain is ${chain.status}: consolidation needs a ready chain`);
  const secrets = ctx.deps.secrets.chain(chain.spec.id, chain.spec.identity.acName);
  const url = await sidecarUrlOf(ctx);
  await requireSynced(ctx, url, secrets.viewerToken);
  const rpc = WalletRpc.at(url, secrets.operatorToken, config.httpTimeoutMs, ctx.signal);
  const outcome = await mergeOutputs(ctx, rpc, notaryAddress(notary.pubkey), notary.pubkey);
  return { chainId: ctx.chainId, ...outcome };
}

/** preflight: a daemon that is not synced has not seen the wallet's outputs. */
export async function requireSynced(ctx: ChainJobContext, url: string, viewerToken: string): Promise<void> {
  await ctx.progress.enter('preflight', 'daemon synced');
  const status = await new SidecarClient(url, ctx.deps.config.httpTimeoutMs).status(viewerToken, ctx.signal);
  if (!status.synced)
    throw new PermanentError(
      `the daemon is not synced (blocks ${status.blocks ?? '?'} of ${status.headers ?? '?'})`,
    );
}

/**
 * Every confirmed spendable output that is not a notary-size P2PK one is merged into one output to
 * `address`, in transactions of at most MAX_INPUTS_PER_TX inputs (under the daemon's size limit), each
 * signed and noted before broadcast and confirmed before the next is built; a re-run broadcasts the noted
 * one again and carries on from what is unspent. Dust leftovers the fee would eat stay as they are.
 */
export async function mergeOutputs(
  ctx: ChainJobContext,
  rpc: WalletRpc,
  address: string,
  pubkey: string,
): Promise<MergeOutcome> {
  const { config } = ctx.deps;
  const key = (u: { txid: string; vout: number }) => `${u.txid}:${u.vout}`;
  await ctx.progress.enter('select', 'outputs other than notary-size P2PK');
  // The outputs there when the job began, plus each round's merged one: outputs that arrive meanwhile
  // (a block's coinbase carrying this job's own fee, on a chain the notary mines) wait for the next run.
  const chosen = new Set((await rpc.unspent(1)).filter((u) => !isNotaryUtxo(u, pubkey)).map(key));
  const candidates = async () =>
    (await rpc.unspent(1)).filter((u) => chosen.has(key(u))).slice(0, MAX_INPUTS_PER_TX);
  const transactions: SelfSend[] = [];
  // Each round merges up to MAX_INPUTS_PER_TX outputs into one: the count falls by MAX-1 a round.
  const rounds = Math.ceil(chosen.size / (MAX_INPUTS_PER_TX - 1)) + 1;
  for (let round = 0; round < rounds; round++) {
    const pending = await ctx.notes.get('consolidateSend');
    if (!pending && (await candidates()).length < 2) break;
    await ctx.progress.enter('send', `transaction ${transactions.length + 1}`);
    const sent = await selfSend(rpc, ctx.notes, 'consolidateSend', address, candidates, () =>
      ctx.checkpoint('signed'),
    );
    if (!sent) break;
    await ctx.checkpoint('sent');
    await ctx.progress.enter('confirm', sent.txid);
    await rpc.waitConfirmed(sent.txid, config.readyTimeoutMs, config.readyPollMs);
    await ctx.checkpoint('confirmed');
    transactions.push(sent);
    chosen.add(`${sent.txid}:0`);
    await ctx.notes.set('consolidateSend', '');
  }
  const kept = (await rpc.unspent(1)).filter((u) => isNotaryUtxo(u, pubkey)).length;
  await ctx.progress.enter('done');
  return {
    transactions,
    merged: transactions.reduce((a, t) => a + t.inputs, 0),
    notaryUtxosKept: kept,
  };
}

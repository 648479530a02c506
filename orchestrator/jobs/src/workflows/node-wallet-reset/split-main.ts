import { PermanentError } from '@nn/orchestrator-core';
import { IguanaClient } from '@nn/sidecar-clients';
import { asJobError } from '../../errors.js';
import type { ResetUnit } from '../../wallet/reset-steps.js';
import { WalletRpc } from '../../wallet/wallet-rpc.js';

// The re-split of a node wallet's fresh wallet into notary UTXOs. kmdclassicd has nn_split (rpc/
// notaries.cpp: countnotaryvintocreate, fee, fmergeallutxos, fskipnotaryvins, fsendtransaction; it
// makes the 10 000-satoshi P2PK outputs Iguana spends); komodod has not, and Iguana's splitfunds does it
// there once Iguana runs again.

/** A notary UTXO as nn_split and Iguana make them: 10 000 satoshis to `<pubkey> OP_CHECKSIG`. */
const NOTARY_VIN_SATS = 10_000;
/** nn_split's own default miners' fee (NN_SPLIT_DEFAULT_MINERS_FEE), in coins. */
const NN_SPLIT_FEE = 0.0001;
/** -32601: the daemon has no such method; -32003: the unit's sidecar does not pass it yet. */
const NO_NN_SPLIT = /RPC error (-32601|-32003):/;

export type MainSplit =
  | { readonly by: 'nn_split'; readonly txid: string; readonly count: number }
  | { readonly by: 'iguana'; readonly count: number }
  | { readonly by: 'already'; readonly count: number }
  | { readonly by: 'none'; readonly count: 0 };

/** How many notary UTXOs the wallet holds already, confirmed or not (a re-run splits only once). */
export async function notaryUtxos(rpc: WalletRpc, pubkey: string): Promise<number> {
  const script = `21${pubkey}ac`;
  return (await rpc.unspent(0)).filter((u) => u.amount === NOTARY_VIN_SATS && u.scriptPubKey === script)
    .length;
}

/**
 * split, with nn_split where the daemon has it. 'iguana' means the split is left to Iguana's splitfunds
 * after it starts (splitWithIguana). A wallet that already holds `count` notary UTXOs is not split again.
 */
export async function splitWithDaemon(
  u: ResetUnit,
  url: string,
  pubkey: string,
  count: number,
): Promise<MainSplit> {
  const { ctx } = u;
  await ctx.progress.enter('split', count > 0 ? `${count} notary UTXOs` : 'no split configured');
  if (count <= 0) return { by: 'none', count: 0 };
  const rpc = WalletRpc.at(url, u.operatorToken, ctx.deps.config.httpTimeoutMs, ctx.signal, u.flavour);
  const have = await notaryUtxos(rpc, pubkey);
  if (have >= count) return { by: 'already', count: have };
  // Bitcoin Core has no nn_split: Iguana's splitfunds makes litecoind's notary UTXOs.
  if (u.flavour === 'bitcoin') return { by: 'iguana', count: count - have };
  try {
    // Merge only what the outputs need, keep existing notary UTXOs, broadcast: nn_split's defaults.
    const reply = await rpc.call<{ tx?: unknown; out_notaryvins_count?: unknown }>('nn_split', [
      count - have,
      NN_SPLIT_FEE,
      false,
      true,
      true,
    ]);
    if (typeof reply.tx !== 'string')
      throw new PermanentError('nn_split answered without the transaction id (tx)');
    await ctx.checkpoint('split sent');
    return { by: 'nn_split', txid: reply.tx, count: count - have };
  } catch (err) {
    const e = asJobError(err);
    if (!(e instanceof PermanentError) || !NO_NN_SPLIT.test(e.message)) throw e;
    return { by: 'iguana', count: count - have };
  }
}

/** Iguana's splitfunds of `coin` (KMD also on KMDCL, LTC); best effort, as the top-up retries. */
export async function splitWithIguana(u: ResetUnit, coin: string, count: number): Promise<boolean> {
  const { ctx } = u;
  const iguana = ctx.deps.config.iguana;
  if (!iguana) return false;
  const client = new IguanaClient(
    iguana.url,
    ctx.deps.secrets.readExternal(iguana.operatorTokenFile),
    ctx.deps.config.httpTimeoutMs,
  );
  try {
    await client.split(coin, count, ctx.signal);
    return true;
  } catch (err) {
    ctx.log.warn({ err: asJobError(err).message, coin }, "Iguana's split after the wallet reset failed");
    return false;
  }
}

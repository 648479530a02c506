import { verifyInput } from '@nn/chain-crypto';
import type { ChainRules } from './rules.js';
import { isCoinbase, outpointKey, type Tx } from './tx.js';

/** An unspent output as the UTXO set keeps it. */
export interface Coin {
  readonly value: bigint;
  readonly script: Uint8Array;
  readonly height: number;
  readonly coinbase: boolean;
}

export type CoinLookup = (key: string) => Coin | undefined;

/** komodod's maximum money (MAX_MONEY), used for range checks of values. */
export const MAX_MONEY = 200_000_000n * 100_000_000n * 1000n;

/**
 * A transaction the chain or the mempool refuses, with the reason string komodod uses (validation.cpp
 * state.DoS/Invalid reasons); `missingInputs` tells sendrawtransaction to answer -25 instead of -26.
 */
export class TxRejected extends Error {
  constructor(
    readonly reason: string,
    readonly missingInputs = false,
  ) {
    super(reason);
    this.name = 'TxRejected';
  }
}

/** Context-free checks (CheckTransaction). */
export function checkTxStructure(t: Tx): void {
  const { tx } = t;
  if (tx.inputs.length === 0) throw new TxRejected('bad-txns-vin-empty');
  if (tx.outputs.length === 0) throw new TxRejected('bad-txns-vout-empty');
  let total = 0n;
  for (const out of tx.outputs) {
    if (out.value < 0n) throw new TxRejected('bad-txns-vout-negative');
    if (out.value > MAX_MONEY) throw new TxRejected('bad-txns-vout-toolarge');
    total += out.value;
    if (total > MAX_MONEY) throw new TxRejected('bad-txns-txouttotal-toolarge');
  }
  const seen = new Set<string>();
  for (const input of tx.inputs) {
    const key = outpointKey(input.prevTxid, input.vout);
    if (seen.has(key)) throw new TxRejected('bad-txns-inputs-duplicate');
    seen.add(key);
  }
  if (isCoinbase(tx)) {
    const len = tx.inputs[0]?.scriptSig.length ?? 0;
    if (len < 2 || len > 100) throw new TxRejected('bad-cb-length');
  } else if (tx.inputs.some((i) => i.prevTxid === '0'.repeat(64))) {
    throw new TxRejected('bad-txns-prevout-null');
  }
}

/**
 * Contextual input checks (Consensus::CheckTxInputs plus script verification): every input exists,
 * coinbase outputs are mature, values add up. Returns the fee.
 */
export function checkTxInputs(
  t: Tx,
  lookup: CoinLookup,
  spendHeight: number,
  rules: ChainRules,
  verifyScripts: boolean,
): bigint {
  let valueIn = 0n;
  const coins: Coin[] = [];
  for (const input of t.tx.inputs) {
    const coin = lookup(outpointKey(input.prevTxid, input.vout));
    if (!coin) throw new TxRejected('bad-txns-inputs-missingorspent', true);
    if (coin.coinbase && spendHeight - coin.height < rules.coinbaseMaturity) {
      throw new TxRejected('bad-txns-premature-spend-of-coinbase');
    }
    valueIn += coin.value;
    coins.push(coin);
  }
  let valueOut = 0n;
  for (const out of t.tx.outputs) valueOut += out.value;
  if (valueIn < valueOut) throw new TxRejected('bad-txns-in-belowout');
  if (verifyScripts) {
    coins.forEach((coin, index) => {
      const ok = verifyInput(t.tx, index, {
        prevScript: coin.script,
        prevValue: coin.value,
        format: rules.format,
      });
      if (!ok)
        throw new TxRejected(
          'mandatory-script-verify-flag-failed (Script evaluated without error but finished with a false/empty top stack element)',
        );
    });
  }
  return valueIn - valueOut;
}

import {
  newTransaction,
  SEQUENCE_FINAL,
  type Transaction,
  type TxFormat,
  type TxInput,
  type TxOutput,
} from '@nn/chain-crypto';

/** komodod's default -txexpirydelta (blocks after which an unmined v4 transaction expires). */
export const TX_EXPIRY_DELTA = 200;

/**
 * A new transaction in the chain's native shape: Sapling v4 (overwintered) for komodo chains, as
 * komodod's wallet makes them; version 2 for the bitcoin flavour.
 */
export function buildTransaction(
  format: TxFormat,
  inputs: TxInput[],
  outputs: TxOutput[],
  opts: { lockTime?: number; expiryHeight?: number } = {},
): Transaction {
  return newTransaction(format, {
    inputs,
    outputs,
    lockTime: opts.lockTime ?? 0,
    expiryHeight: format === 'komodo-sapling' ? (opts.expiryHeight ?? 0) : 0,
  });
}

export function unsignedInput(prevTxid: string, vout: number, sequence = SEQUENCE_FINAL): TxInput {
  return { prevTxid, vout, scriptSig: new Uint8Array(0), sequence };
}

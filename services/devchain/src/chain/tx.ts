// The one place devchain binds to @nn/chain-crypto's transaction API, so the rest of the chain code
// speaks in terms of `Tx` (a decoded transaction with its id and wire bytes cached).
import {
  type BufferReader,
  deserialize,
  readTransaction,
  serialize,
  type Transaction,
  type TxFormat,
  txid,
} from '@nn/chain-crypto';

export interface Tx {
  readonly tx: Transaction;
  readonly txid: string;
  readonly bytes: Uint8Array;
}

export function wrapTx(tx: Transaction, format: TxFormat): Tx {
  return { tx, txid: txid(tx, format), bytes: serialize(tx, format) };
}

export function decodeTx(bytes: Uint8Array, format: TxFormat): Tx {
  const tx = deserialize(bytes, format);
  return { tx, txid: txid(tx, format), bytes };
}

/** Reads one transaction from a block's byte stream. */
export function readTx(r: BufferReader, format: TxFormat): Tx {
  return wrapTx(readTransaction(r, format), format);
}

export function isCoinbase(tx: Transaction): boolean {
  const first = tx.inputs[0];
  return tx.inputs.length === 1 && first?.prevTxid === '0'.repeat(64) && first.vout === 0xffffffff;
}

export function outpointKey(txid: string, vout: number): string {
  return `${txid}:${vout}`;
}

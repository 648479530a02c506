// Entry points for transactions: construction defaults, (de)serialization in either format, txids.
import { BufferReader, BufferWriter, DecodeError } from './bytes.js';
import { sha256d } from './hashes.js';
import { hashToDisplayHex } from './hex.js';
import { hasWitness, readBitcoinTx, writeBitcoinTx } from './tx-bitcoin.js';
import { readKomodoTx, writeKomodoTx } from './tx-komodo.js';
import {
  SAPLING_TX_VERSION,
  SAPLING_VERSION_GROUP_ID,
  type Transaction,
  TxDecodeError,
  type TxFormat,
} from './tx-types.js';

export interface SerializeOptions {
  /** bitcoin format: include segwit witnesses when present (default true, as nodes relay them). */
  witness?: boolean;
}

/**
 * A transaction with the format's defaults: komodo-sapling → v4 overwintered Sapling, expiry 0 (no
 * expiry); bitcoin → version 2. Fields given in `fields` override the defaults.
 */
export function newTransaction(format: TxFormat, fields: Partial<Transaction> = {}): Transaction {
  const base: Transaction = {
    version: format === 'komodo-sapling' ? SAPLING_TX_VERSION : 2,
    overwintered: format === 'komodo-sapling',
    versionGroupId: format === 'komodo-sapling' ? SAPLING_VERSION_GROUP_ID : 0,
    inputs: [],
    outputs: [],
    lockTime: 0,
    expiryHeight: 0,
    valueBalance: 0n,
    shieldedSpends: [],
    shieldedOutputs: [],
    joinSplits: [],
  };
  return { ...base, ...fields };
}

/** A deep-enough copy: arrays and input/output objects are new, byte arrays are shared. */
export function cloneTransaction(tx: Transaction): Transaction {
  return {
    ...tx,
    inputs: tx.inputs.map((input) => ({
      ...input,
      ...(input.witness ? { witness: [...input.witness] } : {}),
    })),
    outputs: tx.outputs.map((output) => ({ ...output })),
    shieldedSpends: [...tx.shieldedSpends],
    shieldedOutputs: [...tx.shieldedOutputs],
    joinSplits: [...tx.joinSplits],
  };
}

export function writeTransaction(
  w: BufferWriter,
  tx: Transaction,
  format: TxFormat,
  options: SerializeOptions = {},
): void {
  if (format === 'bitcoin') writeBitcoinTx(w, tx, options.witness ?? true);
  else writeKomodoTx(w, tx);
}

export function serialize(tx: Transaction, format: TxFormat, options: SerializeOptions = {}): Uint8Array {
  const w = new BufferWriter(512);
  writeTransaction(w, tx, format, options);
  return w.toBytes();
}

/**
 * Reads one transaction from a stream (blocks hold several back to back). Decoding failures are
 * TxDecodeError.
 */
export function readTransaction(r: BufferReader, format: TxFormat): Transaction {
  try {
    return format === 'bitcoin' ? readBitcoinTx(r) : readKomodoTx(r);
  } catch (err) {
    if (err instanceof DecodeError && !(err instanceof TxDecodeError)) throw new TxDecodeError(err.message);
    throw err;
  }
}

/** Strict: the bytes must hold exactly one transaction. */
export function deserialize(bytes: Uint8Array, format: TxFormat): Transaction {
  const r = new BufferReader(bytes);
  const tx = readTransaction(r, format);
  if (r.remaining !== 0) throw new TxDecodeError(`${r.remaining} trailing bytes after the transaction`);
  return tx;
}

/** Internal-order txid: sha256d of the serialization without witnesses. */
export function txidBytes(tx: Transaction, format: TxFormat): Uint8Array {
  return sha256d(serialize(tx, format, { witness: false }));
}

/** Txid in display hex, as RPC and explorers show it. */
export function txid(tx: Transaction, format: TxFormat): string {
  return hashToDisplayHex(txidBytes(tx, format));
}

/** Witness txid (equals the txid when there are no witnesses), display hex. */
export function wtxid(tx: Transaction, format: TxFormat): string {
  if (format !== 'bitcoin' || !hasWitness(tx)) return txid(tx, format);
  return hashToDisplayHex(sha256d(serialize(tx, format, { witness: true })));
}

/** Byte length of the one transaction at the start of `bytes` (blocks hold them back to back). */
export function transactionLength(bytes: Uint8Array, format: TxFormat): number {
  const r = new BufferReader(bytes);
  readTransaction(r, format);
  return r.offset;
}

/** Descriptive aliases of serialize / deserialize / txid. */
export const serializeTransaction = serialize;
export const deserializeTransaction = deserialize;
export const transactionId = txid;

// splitfunds' transaction (SuperNET iguana/iguana_payments.c iguana_splitfunds / iguana_utxoduplicates):
// version 1, `duplicates` P2PK outputs of `satoshis` to the wallet key, change over 10000 sat to the
// key's P2PKH address, fee = txfee + duplicates·txfee·2.
import {
  fromHex,
  hash160,
  newTransaction,
  p2pkhScript,
  p2pkScript,
  SEQUENCE_FINAL,
  type Transaction,
  type TxFormat,
} from '@nn/chain-crypto';

export interface SplitUtxo {
  readonly txid: string;
  readonly vout: number;
  readonly value: bigint;
  readonly scriptPubKey: string;
}

export interface SplitPlan {
  readonly tx: Transaction;
  readonly inputs: readonly SplitUtxo[];
  readonly fee: bigint;
  readonly change: bigint;
}

export class SplitError extends Error {}

export interface SplitRequest {
  readonly format: TxFormat;
  readonly pubkey: Uint8Array;
  readonly satoshis: bigint;
  readonly duplicates: number;
  readonly txfee: bigint;
  readonly utxos: readonly SplitUtxo[];
  /** BTC refuses a split needing more than duplicates/2 inputs. */
  readonly maxInputs?: number;
}

export function splitFee(txfee: bigint, duplicates: number): bigint {
  return txfee + BigInt(duplicates) * txfee * 2n;
}

export function planSplit(req: SplitRequest): SplitPlan {
  const duplicates = req.duplicates <= 0 ? 1 : req.duplicates;
  if (req.satoshis <= 0n) throw new SplitError('satoshis must be positive');
  const fee = splitFee(req.txfee, duplicates);
  const needed = req.satoshis * BigInt(duplicates) + fee;
  // Largest first: the fewest inputs, and the small notary UTXOs are the last to be swept up.
  const sorted = [...req.utxos].sort((a, b) => (a.value === b.value ? 0 : a.value > b.value ? -1 : 1));
  const chosen: SplitUtxo[] = [];
  let total = 0n;
  for (const u of sorted) {
    if (total >= needed) break;
    chosen.push(u);
    total += u.value;
  }
  if (total < needed) throw new SplitError(`insufficient funds: have ${total}, need ${needed}`);
  if (req.maxInputs !== undefined && chosen.length > req.maxInputs)
    throw new SplitError(`needs ${chosen.length} inputs, more than ${req.maxInputs}`);
  const outputs = Array.from({ length: duplicates }, () => ({
    value: req.satoshis,
    script: p2pkScript(req.pubkey),
  }));
  let change = total - needed;
  if (change > 10_000n) outputs.push({ value: change, script: p2pkhScript(hash160(req.pubkey)) });
  else change = 0n;
  const tx = newTransaction(req.format, {
    version: 1,
    overwintered: false,
    versionGroupId: 0,
    inputs: chosen.map((u) => ({
      prevTxid: u.txid,
      vout: u.vout,
      scriptSig: new Uint8Array(0),
      sequence: SEQUENCE_FINAL,
    })),
    outputs,
  });
  return { tx, inputs: chosen, fee: total - req.satoshis * BigInt(duplicates) - change, change };
}

/** The script of an input's previous output, as listunspent reports it. */
export function prevScriptOf(u: SplitUtxo): Uint8Array {
  return fromHex(u.scriptPubKey);
}

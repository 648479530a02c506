// The notarisation transactions Iguana builds itself (dPoW iguana/dpow/dpow_tx.c dpow_notarytx,
// dpow_voutstandard; dpow_network.c dpow_opreturnscript). Pure functions: no RPC here.
import {
  fromHex,
  newTransaction,
  nullDataScript,
  p2pkScript,
  SEQUENCE_FINAL,
  type Transaction,
  type TxFormat,
} from '@nn/chain-crypto';

/** CRYPTO777_PUBSECPSTR (komodo src/komodo_defs.h): vout 0 of every notarisation pays it. */
export const CRYPTO777_PUBKEY = '020e46e79a2a8d12b9b5d12c7a91adb4e454edfae43c0a0cb805427d2ac7613fd9';
/** DPOW_UTXOSIZE: the notary UTXO value (100000 for GAME/EMC2/AYA, not modelled). */
export const DPOW_UTXOSIZE = 10_000n;

/** vout 0's value: min(DPOW_UTXOSIZE·m·0.76, DPOW_UTXOSIZE·m − 10000), the double product truncated. */
export function notaryVout0Value(minsigs: number): bigint {
  const scaled = BigInt(Math.trunc(Number(DPOW_UTXOSIZE) * minsigs * 0.76));
  const minusFee = DPOW_UTXOSIZE * BigInt(minsigs) - 10_000n;
  return minusFee < scaled ? minusFee : scaled;
}

export interface NotaryTxCoin {
  readonly format: TxFormat;
  readonly sapling: boolean;
}

export interface NotaryInput {
  readonly txid: string;
  readonly vout: number;
  /** Empty while unsigned (Iguana's usesigs = 0), the notary's signature push once signed. */
  readonly scriptSig?: Uint8Array;
}

/**
 * Version 1, or 0x80000004 + versiongroupid 0x892f2085 with the empty Sapling tail when the coin has
 * `sapling`; exactly `inputs.length` (= minsigs) vins with sequence 0xffffffff; vout 0 to CRYPTO777,
 * vout 1 the OP_RETURN; locktime 0, expiry 0.
 */
export function buildNotaryTx(
  coin: NotaryTxCoin,
  inputs: readonly NotaryInput[],
  payload: Uint8Array,
): Transaction {
  const sapling = coin.format === 'komodo-sapling' && coin.sapling;
  const base = sapling
    ? newTransaction('komodo-sapling')
    : newTransaction(coin.format, { version: 1, overwintered: false, versionGroupId: 0 });
  return {
    ...base,
    inputs: inputs.map((i) => ({
      prevTxid: i.txid,
      vout: i.vout,
      scriptSig: i.scriptSig ?? new Uint8Array(0),
      sequence: SEQUENCE_FINAL,
    })),
    outputs: [
      { value: notaryVout0Value(inputs.length), script: p2pkScript(fromHex(CRYPTO777_PUBKEY)) },
      { value: 0n, script: nullDataScript(payload) },
    ],
    lockTime: 0,
    expiryHeight: 0,
  };
}

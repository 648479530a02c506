// The transaction model shared by the Bitcoin/Litecoin and the Komodo (Zcash Sapling v4) wire formats.
import { DecodeError } from './bytes.js';

/**
 * `bitcoin`: legacy serialization (segwit-marked transactions are read too, witnesses kept).
 * `komodo-sapling`: Zcash-style serialization as komodod writes it: v4 Sapling (overwintered) and the
 * legacy non-overwintered versions (v1, and v2+ with Sprout joinsplits).
 */
export type TxFormat = 'bitcoin' | 'komodo-sapling';

export class TxDecodeError extends DecodeError {
  constructor(message: string) {
    super(message);
    this.name = 'TxDecodeError';
  }
}

export interface TxInput {
  /** Txid of the spent output, in display hex (as RPC and explorers show it). */
  prevTxid: string;
  vout: number;
  scriptSig: Uint8Array;
  sequence: number;
  /** Segwit witness stack (bitcoin format only); absent or empty for legacy inputs. */
  witness?: Uint8Array[];
}

export interface TxOutput {
  /** Satoshis (CAmount, a signed 64-bit integer on the wire). */
  value: bigint;
  script: Uint8Array;
}

/** Sapling SpendDescription (384 bytes on the wire). */
export interface SaplingSpend {
  cv: Uint8Array; // 32
  anchor: Uint8Array; // 32
  nullifier: Uint8Array; // 32
  rk: Uint8Array; // 32
  zkproof: Uint8Array; // 192
  spendAuthSig: Uint8Array; // 64
}

/** Sapling OutputDescription (948 bytes on the wire). */
export interface SaplingOutput {
  cv: Uint8Array; // 32
  cmu: Uint8Array; // 32
  ephemeralKey: Uint8Array; // 32
  encCiphertext: Uint8Array; // 580
  outCiphertext: Uint8Array; // 80
  zkproof: Uint8Array; // 192
}

/** A Sprout JSDescription kept as its raw bytes (1698 with Groth proofs in v4, 1802 with PHGR before). */
export interface JoinSplit {
  raw: Uint8Array;
}

export interface Transaction {
  /** Version without the overwintered bit (int32 for bitcoin, 31 bits for komodo). */
  version: number;
  overwintered: boolean;
  /** 0x892f2085 for Sapling v4; 0 when not overwintered. */
  versionGroupId: number;
  inputs: TxInput[];
  outputs: TxOutput[];
  lockTime: number;
  expiryHeight: number;
  /** Net Sapling value leaving the shielded pool (signed). */
  valueBalance: bigint;
  shieldedSpends: SaplingSpend[];
  shieldedOutputs: SaplingOutput[];
  joinSplits: JoinSplit[];
  joinSplitPubKey?: Uint8Array; // 32, present when joinSplits is non-empty
  joinSplitSig?: Uint8Array; // 64, present when joinSplits is non-empty
  bindingSig?: Uint8Array; // 64, present when there are Sapling spends or outputs
}

export const SAPLING_VERSION_GROUP_ID = 0x892f2085;
export const OVERWINTER_VERSION_GROUP_ID = 0x03c48270;
export const SAPLING_TX_VERSION = 4;
/** Consensus branch id of Sapling; komodod's HF22 upgrade reuses it (komodo src/consensus/upgrades.cpp). */
export const SAPLING_BRANCH_ID = 0x76b809bb;
export const SEQUENCE_FINAL = 0xffffffff;

export const SAPLING_SPEND_SIZE = 384;
export const SAPLING_OUTPUT_SIZE = 948;
export const JOINSPLIT_SIZE_GROTH = 1698;
export const JOINSPLIT_SIZE_PHGR = 1802;

// Signing and verifying P2PK/P2PKH inputs: DER low-S ECDSA plus the hash-type byte.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesEqual, concatBytes } from './bytes.js';
import { hash160 } from './hashes.js';
import { publicKeyOf } from './keys.js';
import { p2pkhScriptSig, p2pkScriptSig, parseScriptSig } from './script-sig.js';
import { classifyScript } from './script-templates.js';
import { legacySighash, SIGHASH_ALL } from './sighash-legacy.js';
import { zip243Sighash } from './sighash-zip243.js';
import { cloneTransaction } from './transaction.js';
import {
  SAPLING_BRANCH_ID,
  SAPLING_TX_VERSION,
  SAPLING_VERSION_GROUP_ID,
  type Transaction,
  type TxFormat,
} from './tx-types.js';

export class SignError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignError';
  }
}

export interface SighashOptions {
  /** Script of the output being spent (P2PK or P2PKH); it is the script code that gets signed. */
  prevScript: Uint8Array;
  /** Value of the output being spent, satoshis (signed by ZIP-243, ignored by legacy sighash). */
  prevValue: bigint;
  format: TxFormat;
  /** Default SIGHASH_ALL. */
  hashType?: number;
  /** Consensus branch id for ZIP-243 (default Sapling 0x76b809bb, which komodod uses for v4). */
  branchId?: number;
}

export interface SignInputOptions extends SighashOptions {
  privateKey: Uint8Array;
}

export type VerifyInputOptions = Omit<SighashOptions, 'hashType'>;

/** Picks the algorithm a node would use for this transaction and returns the 32-byte digest to sign. */
export function signatureHash(tx: Transaction, inputIndex: number, opts: SighashOptions): Uint8Array {
  const hashType = opts.hashType ?? SIGHASH_ALL;
  if (opts.format === 'bitcoin') return legacySighash(tx, inputIndex, opts.prevScript, hashType);
  if (tx.overwintered) {
    if (tx.version !== SAPLING_TX_VERSION || tx.versionGroupId !== SAPLING_VERSION_GROUP_ID) {
      throw new SignError('only Sapling v4 overwintered transactions can be signed');
    }
    return zip243Sighash(
      tx,
      inputIndex,
      opts.prevScript,
      opts.prevValue,
      hashType,
      opts.branchId ?? SAPLING_BRANCH_ID,
    );
  }
  // Pre-Overwinter Zcash/Komodo v1 transactions use Bitcoin's algorithm; v2+ adds joinsplit fields.
  if (tx.version >= 2) throw new SignError('legacy komodo transactions of version >= 2 are not supported');
  return legacySighash(tx, inputIndex, opts.prevScript, hashType);
}

function checkIndex(tx: Transaction, inputIndex: number): void {
  if (!Number.isInteger(inputIndex) || inputIndex < 0 || inputIndex >= tx.inputs.length) {
    throw new RangeError(`input index ${inputIndex} is out of range (${tx.inputs.length} inputs)`);
  }
}

/**
 * Signs input `inputIndex` and returns a copy of the transaction whose scriptSig is `<sig>` (P2PK) or
 * `<sig> <pubkey>` (P2PKH). The signature is deterministic (RFC 6979), DER, low-S.
 */
export function signInput(tx: Transaction, inputIndex: number, opts: SignInputOptions): Transaction {
  checkIndex(tx, inputIndex);
  const hashType = opts.hashType ?? SIGHASH_ALL;
  if (!Number.isInteger(hashType) || hashType < 0 || hashType > 0xff) {
    throw new SignError(`hash type must fit one byte, got ${hashType}`);
  }
  const prev = classifyScript(opts.prevScript);
  let pubkey: Uint8Array;
  if (prev.type === 'pubkey') {
    pubkey = publicKeyOf(opts.privateKey, prev.pubkey.length === 33);
    if (!bytesEqual(pubkey, prev.pubkey)) throw new SignError('private key does not match the P2PK output');
  } else if (prev.type === 'pubkeyhash') {
    const compressed = publicKeyOf(opts.privateKey, true);
    const uncompressed = publicKeyOf(opts.privateKey, false);
    if (bytesEqual(hash160(compressed), prev.hash)) pubkey = compressed;
    else if (bytesEqual(hash160(uncompressed), prev.hash)) pubkey = uncompressed;
    else throw new SignError('private key does not match the P2PKH output');
  } else {
    throw new SignError(`cannot sign a ${prev.type} output (only P2PK and P2PKH)`);
  }
  const digest = signatureHash(tx, inputIndex, { ...opts, hashType });
  const der = secp256k1.sign(digest, opts.privateKey, { prehash: false, lowS: true, format: 'der' });
  const signature = concatBytes(der, Uint8Array.of(hashType));
  const signed = cloneTransaction(tx);
  const input = signed.inputs[inputIndex];
  if (!input) throw new RangeError(`input index ${inputIndex} is out of range`);
  input.scriptSig = prev.type === 'pubkey' ? p2pkScriptSig(signature) : p2pkhScriptSig(signature, pubkey);
  return signed;
}

/**
 * Checks the scriptSig of a P2PK or P2PKH input against the spent output: shape, pubkey (hash) match,
 * and the ECDSA signature over the sighash selected by the signature's hash-type byte. High-S
 * signatures are accepted, as consensus does. Any mismatch or malformed data yields false.
 */
export function verifyInput(tx: Transaction, inputIndex: number, opts: VerifyInputOptions): boolean {
  checkIndex(tx, inputIndex);
  const input = tx.inputs[inputIndex];
  if (!input) return false;
  const parsed = parseScriptSig(input.scriptSig);
  const prev = classifyScript(opts.prevScript);
  if (!parsed) return false;
  let pubkey: Uint8Array;
  if (prev.type === 'pubkey' && parsed.type === 'p2pk') {
    pubkey = prev.pubkey;
  } else if (prev.type === 'pubkeyhash' && parsed.type === 'p2pkh') {
    if (!bytesEqual(hash160(parsed.pubkey), prev.hash)) return false;
    pubkey = parsed.pubkey;
  } else {
    return false;
  }
  const hashType = parsed.signature[parsed.signature.length - 1] as number;
  const der = parsed.signature.subarray(0, parsed.signature.length - 1);
  try {
    const digest = signatureHash(tx, inputIndex, { ...opts, hashType });
    return secp256k1.verify(der, digest, pubkey, { prehash: false, lowS: false, format: 'der' });
  } catch {
    return false;
  }
}

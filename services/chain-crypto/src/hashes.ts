// Hash functions of the Bitcoin family, thin wrappers over @noble/hashes.
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from './bytes.js';
import { displayHexToHash, hashToDisplayHex } from './hex.js';

export { ripemd160, sha256 };

/** SHA-256 applied twice: txids, block hashes, base58check checksums, legacy sighash. */
export function sha256d(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

/** RIPEMD-160 of SHA-256: the 20-byte hash inside P2PKH and P2SH addresses. */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(sha256(data));
}

/** Helpers for 32-byte hashes kept in internal (serialisation) byte order. */
export const Hash = {
  ZERO: new Uint8Array(32) as Uint8Array,
  /** Display hex (as RPC shows txids/block hashes) of an internal-order hash. */
  toDisplayHex: hashToDisplayHex,
  /** Internal-order bytes of a display-hex hash. */
  fromDisplayHex: displayHexToHash,
  isZero(hash: Uint8Array): boolean {
    return hash.every((b) => b === 0);
  },
};

/**
 * Bitcoin merkle root of internal-order txids (an odd level duplicates its last hash). Returns 32 zero
 * bytes for an empty list, as Bitcoin Core does.
 */
export function merkleRoot(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return new Uint8Array(32);
  let level = hashes.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Uint8Array;
      const right = level[i + 1] ?? left;
      next.push(sha256d(concatBytes(left, right)));
    }
    level = next;
  }
  return level[0] as Uint8Array;
}

// Standard output scripts: builders, the classifier (after Bitcoin Core's Solver), and address mapping.
import {
  decodeAddress,
  type NetworkPrefixes,
  p2pkhAddress,
  p2pkhAddressFromHash,
  p2shAddressFromHash,
} from './addresses.js';
import { bytesEqual, concatBytes } from './bytes.js';
import { hash160 } from './hashes.js';
import { isValidPublicKey } from './keys.js';
import { buildScript, isPushOnly, OP, ScriptError, tryParseScript } from './script.js';

export type ScriptClass =
  | { type: 'pubkey'; pubkey: Uint8Array }
  | { type: 'pubkeyhash'; hash: Uint8Array }
  | { type: 'scripthash'; hash: Uint8Array }
  | { type: 'nulldata'; data: Uint8Array; pushes: Uint8Array[] }
  | { type: 'nonstandard' };

export type ScriptType = ScriptClass['type'];

/** Core's CPubKey::ValidSize: length must agree with the header byte (curve membership is not checked). */
export function hasPubkeyShape(pubkey: Uint8Array): boolean {
  const header = pubkey[0];
  if (pubkey.length === 33) return header === 0x02 || header === 0x03;
  if (pubkey.length === 65) return header === 0x04 || header === 0x06 || header === 0x07;
  return false;
}

function requireHash(hash: Uint8Array): void {
  if (!(hash instanceof Uint8Array) || hash.length !== 20) throw new ScriptError('hash must be 20 bytes');
}

/** P2PK: `<pubkey> OP_CHECKSIG`, i.e. `21<33 bytes>ac` for a compressed key (notary UTXOs). */
export function p2pkScript(pubkey: Uint8Array): Uint8Array {
  if (!isValidPublicKey(pubkey)) throw new ScriptError('P2PK needs a valid 33- or 65-byte public key');
  return buildScript([pubkey, OP.OP_CHECKSIG]);
}

/** P2PKH: `OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG`. */
export function p2pkhScript(hash: Uint8Array): Uint8Array {
  requireHash(hash);
  return buildScript([OP.OP_DUP, OP.OP_HASH160, hash, OP.OP_EQUALVERIFY, OP.OP_CHECKSIG]);
}

export function p2pkhScriptForPubkey(pubkey: Uint8Array): Uint8Array {
  if (!isValidPublicKey(pubkey)) throw new ScriptError('not a valid public key');
  return p2pkhScript(hash160(pubkey));
}

/** P2SH: `OP_HASH160 <20> OP_EQUAL`. */
export function p2shScript(hash: Uint8Array): Uint8Array {
  requireHash(hash);
  return buildScript([OP.OP_HASH160, hash, OP.OP_EQUAL]);
}

/** OP_RETURN followed by one push per argument (pushdata form chosen by size). */
export function nullDataScript(...pushes: Uint8Array[]): Uint8Array {
  return buildScript([OP.OP_RETURN, ...pushes]);
}

export function classifyScript(script: Uint8Array): ScriptClass {
  const n = script.length;
  if ((n === 35 || n === 67) && script[0] === n - 2 && script[n - 1] === OP.OP_CHECKSIG) {
    const pubkey = script.slice(1, n - 1);
    if (hasPubkeyShape(pubkey)) return { type: 'pubkey', pubkey };
  }
  if (
    n === 25 &&
    script[0] === OP.OP_DUP &&
    script[1] === OP.OP_HASH160 &&
    script[2] === 20 &&
    script[23] === OP.OP_EQUALVERIFY &&
    script[24] === OP.OP_CHECKSIG
  ) {
    return { type: 'pubkeyhash', hash: script.slice(3, 23) };
  }
  if (n === 23 && script[0] === OP.OP_HASH160 && script[1] === 20 && script[22] === OP.OP_EQUAL) {
    return { type: 'scripthash', hash: script.slice(2, 22) };
  }
  if (n >= 1 && script[0] === OP.OP_RETURN) {
    const chunks = tryParseScript(script.subarray(1));
    if (chunks && isPushOnly(chunks)) {
      // OP_1..OP_16 push their small number; OP_1NEGATE pushes 0x81 (script number -1).
      const pushes = chunks.map((c) => {
        if (c.data) return c.data;
        if (c.opcode === OP.OP_1NEGATE) return Uint8Array.of(0x81);
        return Uint8Array.of(c.opcode - OP.OP_1 + 1);
      });
      return { type: 'nulldata', data: concatBytes(...pushes), pushes };
    }
  }
  return { type: 'nonstandard' };
}

/** The bytes carried by an OP_RETURN output (all pushes concatenated), or undefined for other scripts. */
export function extractNullData(script: Uint8Array): Uint8Array | undefined {
  const c = classifyScript(script);
  return c.type === 'nulldata' ? c.data : undefined;
}

/**
 * The address a node reports for an output: P2PK and P2PKH map to the pubkey-hash address (komodod lists
 * P2PK notary outputs under the notary's R-address), P2SH to the script-hash address; otherwise undefined.
 */
export function scriptToAddress(script: Uint8Array, prefixes: NetworkPrefixes): string | undefined {
  const c = classifyScript(script);
  switch (c.type) {
    case 'pubkey':
      return isValidPublicKey(c.pubkey) ? p2pkhAddress(c.pubkey, prefixes) : undefined;
    case 'pubkeyhash':
      return p2pkhAddressFromHash(c.hash, prefixes);
    case 'scripthash':
      return p2shAddressFromHash(c.hash, prefixes);
    default:
      return undefined;
  }
}

/** Output script paying to an address (throws InvalidAddressError for a bad or foreign address). */
export function addressToScript(address: string, prefixes: NetworkPrefixes): Uint8Array {
  const decoded = decodeAddress(address, prefixes);
  return decoded.type === 'p2pkh' ? p2pkhScript(decoded.hash) : p2shScript(decoded.hash);
}

/** True when the script is exactly the P2PK script of `pubkey` (`21<pubkey>ac` for a compressed key). */
export function isNotaryUtxoScript(script: Uint8Array, pubkey: Uint8Array): boolean {
  const n = pubkey.length;
  if (n !== 33 && n !== 65) return false;
  return (
    script.length === n + 2 &&
    script[0] === n &&
    script[n + 1] === OP.OP_CHECKSIG &&
    bytesEqual(script.subarray(1, n + 1), pubkey)
  );
}

// komodod's tests for "is this transaction a notarisation" (komodo.cpp komodo_connectblock,
// komodo_notarycmp, komodo_voutupdate; komodo_structs.h KOMODO_MINRATIFY), as pure functions.
import { bytesEqual, fromHex, hash160 } from '@nn/chain-crypto';

/** KOMODO_MINRATIFY: notary signatures that ratify a notarisation (7 below height 90000, then 11). */
export function minRatify(height: number): number {
  return height < 90_000 ? 7 : 11;
}

/** The elected notaries in index order, with notary #0's hash160 (komodod also matches its P2PKH). */
export interface NotaryList {
  readonly pubkeys: readonly Uint8Array[];
  readonly rmd160Of0: Uint8Array;
}

export function notaryList(pubkeysHex: readonly string[]): NotaryList {
  const pubkeys = pubkeysHex.map((h) => fromHex(h));
  const first = pubkeys[0];
  if (!first) throw new Error('a notary list needs at least one notary');
  return { pubkeys, rmd160Of0: hash160(first) };
}

/**
 * komodo_notarycmp: the notary index whose output `script` is, or -1. A 35-byte script compares bytes
 * 1..33 with each pubkey (P2PK `21<pubkey>ac`); a 25-byte script whose bytes 3..22 are notary #0's
 * hash160 counts as notary #0 (its P2PKH). komodod checks no opcodes, so neither does this.
 */
export function notaryIndexOfScript(script: Uint8Array, list: NotaryList): number {
  if (script.length === 25 && bytesEqual(script.subarray(3, 23), list.rmd160Of0)) return 0;
  if (script.length === 35) {
    const key = script.subarray(1, 34);
    return list.pubkeys.findIndex((p) => bytesEqual(p, key));
  }
  return -1;
}

export function popcount(mask: bigint): number {
  let n = 0;
  for (let m = mask; m > 0n; m >>= 1n) if (m & 1n) n++;
  return n;
}

/**
 * komodo_connectblock's ratification test for one transaction, from the mask of notaries whose outputs
 * its inputs spend: at least MINRATIFY signers (on KMD below height 90000 or with notary #0 among
 * them; on assetchains always), or more than a fifth of the list (integer division, as in C).
 */
export function isRatified(opts: {
  signedmask: bigint;
  height: number;
  numNotaries: number;
  isAssetchain: boolean;
}): boolean {
  const { signedmask, height, numNotaries, isAssetchain } = opts;
  const numvalid = popcount(signedmask);
  const min = minRatify(height);
  return (
    ((height < 90_000 || (signedmask & 1n) !== 0n) && numvalid >= min) ||
    (numvalid >= min && isAssetchain) ||
    numvalid > Math.floor(numNotaries / 5)
  );
}

/**
 * The payload of an OP_RETURN as komodo_voutupdate reads it: `6a`, then a length byte, or `4c len`,
 * or `4d lenLE16`, then that many bytes (cut short if the script is). Undefined when the script does
 * not start with OP_RETURN or has no length.
 */
export function opReturnPayload(script: Uint8Array): Uint8Array | undefined {
  if (script[0] !== 0x6a || script.length < 2) return undefined;
  let pos = 1;
  let len = script[pos++] as number;
  if (len === 0x4c) {
    if (script.length < 3) return undefined;
    len = script[pos++] as number;
  } else if (len === 0x4d) {
    if (script.length < 4) return undefined;
    len = (script[pos] as number) | ((script[pos + 1] as number) << 8);
    pos += 2;
  }
  return script.subarray(pos, pos + len);
}

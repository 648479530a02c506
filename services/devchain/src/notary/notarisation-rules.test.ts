import { hash160, keyPairFromPrivateKey, p2pkhScript, p2pkScript, toHex } from '@nn/chain-crypto';
import { describe, expect, it } from 'vitest';
import {
  isRatified,
  minRatify,
  notaryIndexOfScript,
  notaryList,
  opReturnPayload,
} from './notarisation-rules.js';

const keys = Array.from({ length: 64 }, (_, i) => keyPairFromPrivateKey(new Uint8Array(32).fill(i + 1)));
const list64 = notaryList(keys.map((k) => toHex(k.publicKey)));

/** A mask with the given notary indices set. */
const mask = (...ids: number[]) => ids.reduce((m, i) => m | (1n << BigInt(i)), 0n);
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('isRatified (komodo_connectblock)', () => {
  it('KMD with 64 notaries: 11 including #0, or 13 (> 64/5) without; 7 below height 90000', () => {
    const at = (signedmask: bigint, height = 4_000_000) =>
      isRatified({ signedmask, height, numNotaries: 64, isAssetchain: false });
    expect(minRatify(89_999)).toBe(7);
    expect(minRatify(90_000)).toBe(11);
    expect(at(mask(0, ...range(1, 10)))).toBe(true);
    expect(at(mask(...range(1, 11)))).toBe(false);
    expect(at(mask(...range(1, 12)))).toBe(false);
    expect(at(mask(...range(1, 13)))).toBe(true);
    expect(at(mask(...range(1, 7)), 89_999)).toBe(true);
    expect(at(mask(...range(1, 6)), 89_999)).toBe(false);
  });

  it('assetchain with 64 notaries: any 11', () => {
    const at = (signedmask: bigint) =>
      isRatified({ signedmask, height: 200_000, numNotaries: 64, isAssetchain: true });
    expect(at(mask(...range(20, 11)))).toBe(true);
    expect(at(mask(...range(20, 10)))).toBe(false);
  });

  it('a devnet list of 1 to 4 notaries: one signer is more than a fifth (integer division)', () => {
    for (const numNotaries of [1, 3, 4]) {
      expect(
        isRatified({ signedmask: mask(numNotaries - 1), height: 10, numNotaries, isAssetchain: true }),
      ).toBe(true);
      expect(isRatified({ signedmask: 0n, height: 10, numNotaries, isAssetchain: true })).toBe(false);
    }
    // Five notaries: 5/5 = 1, so two must sign.
    expect(isRatified({ signedmask: mask(2), height: 10, numNotaries: 5, isAssetchain: true })).toBe(false);
    expect(isRatified({ signedmask: mask(2, 4), height: 10, numNotaries: 5, isAssetchain: true })).toBe(true);
  });
});

describe('notaryIndexOfScript (komodo_notarycmp)', () => {
  it('finds P2PK outputs of any notary and the P2PKH of notary #0 only', () => {
    expect(notaryIndexOfScript(p2pkScript(keys[37]?.publicKey as Uint8Array), list64)).toBe(37);
    expect(notaryIndexOfScript(p2pkhScript(hash160(keys[0]?.publicKey as Uint8Array)), list64)).toBe(0);
    expect(notaryIndexOfScript(p2pkhScript(hash160(keys[1]?.publicKey as Uint8Array)), list64)).toBe(-1);
    const stranger = keyPairFromPrivateKey(new Uint8Array(32).fill(0xee));
    expect(notaryIndexOfScript(p2pkScript(stranger.publicKey), list64)).toBe(-1);
  });
});

describe('opReturnPayload (komodo_voutupdate)', () => {
  it('reads direct, OP_PUSHDATA1 and OP_PUSHDATA2 lengths; nothing for other scripts', () => {
    expect(opReturnPayload(Uint8Array.of(0x6a, 2, 7, 8))).toEqual(Uint8Array.of(7, 8));
    const big = new Uint8Array(100).fill(9);
    expect(opReturnPayload(Uint8Array.of(0x6a, 0x4c, 100, ...big))).toEqual(big);
    const bigger = new Uint8Array(300).fill(5);
    expect(opReturnPayload(Uint8Array.of(0x6a, 0x4d, 300 & 0xff, 300 >> 8, ...bigger))).toEqual(bigger);
    expect(opReturnPayload(Uint8Array.of(0x51, 2, 7, 8))).toBeUndefined();
    expect(opReturnPayload(Uint8Array.of(0x6a))).toBeUndefined();
  });
});

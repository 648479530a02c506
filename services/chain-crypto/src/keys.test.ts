import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './hex.js';
import {
  convertPublicKey,
  decodeWif,
  encodeWif,
  generatePrivateKey,
  InvalidKeyError,
  isValidPublicKey,
  keyPairFromWif,
  publicKeyOf,
} from './keys.js';

const ONE = fromHex(`${'00'.repeat(31)}01`);
const G_COMPRESSED = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
const G_UNCOMPRESSED =
  '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8';
const ORDER = fromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

describe('keys', () => {
  it('derives the generator point from private key 1', () => {
    expect(toHex(publicKeyOf(ONE))).toBe(G_COMPRESSED);
    expect(toHex(publicKeyOf(ONE, false))).toBe(G_UNCOMPRESSED);
    expect(toHex(convertPublicKey(fromHex(G_UNCOMPRESSED), true))).toBe(G_COMPRESSED);
  });

  it('rejects invalid private keys with InvalidKeyError', () => {
    expect(() => publicKeyOf(new Uint8Array(32))).toThrow(InvalidKeyError);
    expect(() => publicKeyOf(ORDER)).toThrow(InvalidKeyError);
    expect(() => publicKeyOf(new Uint8Array(31).fill(1))).toThrow(/32 bytes/);
  });

  it('generates valid keys and retries draws outside the curve order', () => {
    const draws = [new Uint8Array(32), ORDER, ONE];
    const key = generatePrivateKey(() => draws.shift() as Uint8Array);
    expect(key).toEqual(ONE);
    const random = generatePrivateKey();
    expect(random.length).toBe(32);
    expect(isValidPublicKey(publicKeyOf(random))).toBe(true);
    expect(() => generatePrivateKey(() => new Uint8Array(16))).toThrow(InvalidKeyError);
  });

  it('encodes the well-known Bitcoin WIFs of private key 1', () => {
    expect(encodeWif(ONE, 128, true)).toBe('KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn');
    expect(encodeWif(ONE, 128, false)).toBe('5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreAnchuDf');
    const d = decodeWif('5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreAnchuDf', 128);
    expect(d).toEqual({ privateKey: ONE, compressed: false, version: 128 });
  });

  it('round-trips a KMD WIF (version 188; compressed KMD WIFs start with U)', () => {
    const priv = generatePrivateKey();
    const wif = encodeWif(priv, 188);
    expect(wif.startsWith('U')).toBe(true);
    const kp = keyPairFromWif(wif, 188);
    expect(kp.privateKey).toEqual(priv);
    expect(kp.compressed).toBe(true);
    expect(kp.publicKey).toEqual(publicKeyOf(priv));
  });

  it('rejects a WIF with the wrong version, bad checksum or bad flag', () => {
    const wif = encodeWif(ONE, 188);
    expect(() => decodeWif(wif, 176)).toThrow(/version byte 188/);
    const last = wif.at(-1) === 'a' ? 'b' : 'a';
    expect(() => decodeWif(wif.slice(0, -1) + last)).toThrow(InvalidKeyError);
    expect(() => decodeWif('')).toThrow(InvalidKeyError);
    expect(() => encodeWif(ONE, 256)).toThrow(InvalidKeyError);
  });

  it('validates public keys on the curve', () => {
    expect(isValidPublicKey(fromHex(G_COMPRESSED))).toBe(true);
    expect(isValidPublicKey(fromHex(`02${'00'.repeat(32)}`))).toBe(false);
    expect(isValidPublicKey(fromHex('02'))).toBe(false);
  });
});

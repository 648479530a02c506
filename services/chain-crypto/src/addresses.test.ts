import { createBase58check } from '@scure/base';
import { describe, expect, it } from 'vitest';
import {
  BTC_PREFIXES,
  decodeAddress,
  InvalidAddressError,
  isValidAddress,
  KMD_PREFIXES,
  LTC_PREFIXES,
  p2pkhAddress,
  p2shAddress,
} from './addresses.js';
import {
  CRYPTO777_KMDADDR,
  CRYPTO777_PUBKEY,
  CRYPTO777_RMD160,
  KMD_P2PKH_SPEND,
} from './fixtures/komodo-txs.js';
import { sha256 } from './hashes.js';
import { fromHex, toHex } from './hex.js';
import { publicKeyOf } from './keys.js';

describe('addresses', () => {
  it('derives the published KMD address of the crypto777 notary pubkey', () => {
    // KomodoPlatform/komodo src/komodo_utils.h (also trustwallet/wallet-core Komodo AddressTests).
    expect(p2pkhAddress(fromHex(CRYPTO777_PUBKEY), KMD_PREFIXES)).toBe(CRYPTO777_KMDADDR);
    const decoded = decodeAddress(CRYPTO777_KMDADDR, KMD_PREFIXES);
    expect(decoded.type).toBe('p2pkh');
    expect(toHex(decoded.hash)).toBe(CRYPTO777_RMD160);
  });

  it('derives the KMD address that owned a real mainnet UTXO from its signer pubkey', () => {
    expect(p2pkhAddress(fromHex(KMD_P2PKH_SPEND.pubkey), KMD_PREFIXES)).toBe(KMD_P2PKH_SPEND.prevAddress);
  });

  it('derives a KMD P2SH address from a redeem script', () => {
    // KomodoPlatform/developer-docs docs/basic-docs/komodo-api/util.md, createmultisig example.
    const redeem = fromHex(
      '52210384c0db4f1eaa142a2745742b942f989375dbec32c55310a793225bb5c43cdc9821021f527b7269ab18da85a50b7f45f572e8b017fce476de06cb80a2550ee7d4b11652ae',
    );
    const address = p2shAddress(redeem, KMD_PREFIXES);
    expect(address).toBe('bZjsy6bt2ZdyHV5hfCNL2HsuA4eV63s5u6');
    expect(decodeAddress(address, KMD_PREFIXES).type).toBe('p2sh');
  });

  it('derives a known Litecoin address', () => {
    // trustwallet/wallet-core tests/chains/Litecoin/LitecoinAddressTests.cpp
    const pub = fromHex('03b49081a4d7ad24b20e209bc6fe10491aadb5607777baf0509a036cce96025db0');
    expect(p2pkhAddress(pub, LTC_PREFIXES)).toBe('LW6HjAU6GL9fK2LZWUA6VZCzomTdrpx3nr');
  });

  it('derives the Bitcoin address of private key 1 (compressed and uncompressed)', () => {
    const one = fromHex(`${'00'.repeat(31)}01`);
    expect(p2pkhAddress(publicKeyOf(one), BTC_PREFIXES)).toBe('1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH');
    expect(p2pkhAddress(publicKeyOf(one, false), BTC_PREFIXES)).toBe('1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm');
  });

  it('rejects a bad checksum', () => {
    const bad = `${CRYPTO777_KMDADDR.slice(0, -1)}B`;
    expect(() => decodeAddress(bad, KMD_PREFIXES)).toThrow(InvalidAddressError);
    expect(isValidAddress(bad, KMD_PREFIXES)).toBe(false);
  });

  it('rejects a version byte of another chain', () => {
    expect(() => decodeAddress('1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH', KMD_PREFIXES)).toThrow(/version byte 0/);
    expect(() => decodeAddress(CRYPTO777_KMDADDR, LTC_PREFIXES)).toThrow(InvalidAddressError);
    expect(isValidAddress(CRYPTO777_KMDADDR, KMD_PREFIXES)).toBe(true);
  });

  it('rejects a payload of the wrong length and non-base58 text', () => {
    const b58 = createBase58check(sha256);
    const short = b58.encode(new Uint8Array([60, ...new Uint8Array(19).fill(7)]));
    expect(() => decodeAddress(short, KMD_PREFIXES)).toThrow(/21 bytes/);
    expect(() => decodeAddress('R0OIl', KMD_PREFIXES)).toThrow(InvalidAddressError);
    expect(() => decodeAddress('', KMD_PREFIXES)).toThrow(InvalidAddressError);
  });
});

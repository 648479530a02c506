import { describe, expect, it } from 'vitest';
import { KMD_P2PKH_SPEND } from './fixtures/komodo-txs.js';
import { SIGHASH_VECTORS } from './fixtures/sighash-vectors.js';
import { ZIP243_VECTORS } from './fixtures/zip243-vectors.js';
import { fromHex, hashToDisplayHex, toHex } from './hex.js';
import { legacySighash, SIGHASH_ALL, SIGHASH_NONE, SIGHASH_SINGLE } from './sighash-legacy.js';
import { zip243Sighash } from './sighash-zip243.js';
import { deserialize, newTransaction } from './transaction.js';
import { SAPLING_BRANCH_ID } from './tx-types.js';

const ONE = `${'00'.repeat(31)}01`;

describe('legacy sighash (Bitcoin Core sighash.json)', () => {
  it.each(
    SIGHASH_VECTORS.map(
      ([tx, script, input, hashType, hash], i) => [i, input, hashType, tx, script, hash] as const,
    ),
  )('vector %i (input %i, hashType %i)', (_i, inputIndex, hashType, txHex, script, expected) => {
    const tx = deserialize(fromHex(txHex), 'bitcoin');
    // sighash.json prints the digest as a uint256 (byte-reversed).
    expect(hashToDisplayHex(legacySighash(tx, inputIndex, fromHex(script), hashType))).toBe(expected);
  });

  it('reproduces the SIGHASH_SINGLE and out-of-range quirks (digest = uint256 one)', () => {
    const tx = newTransaction('bitcoin', {
      inputs: [0, 1].map((vout) => ({
        prevTxid: '11'.repeat(32),
        vout,
        scriptSig: new Uint8Array(),
        sequence: 0,
      })),
      outputs: [{ value: 1n, script: fromHex('51') }],
    });
    expect(hashToDisplayHex(legacySighash(tx, 1, fromHex('51'), SIGHASH_SINGLE))).toBe(ONE);
    expect(hashToDisplayHex(legacySighash(tx, 2, fromHex('51'), SIGHASH_ALL))).toBe(ONE);
    expect(hashToDisplayHex(legacySighash(tx, 0, fromHex('51'), SIGHASH_SINGLE))).not.toBe(ONE);
  });

  it('NONE ignores the outputs, ALL does not', () => {
    const base = {
      inputs: [{ prevTxid: '22'.repeat(32), vout: 0, scriptSig: new Uint8Array(), sequence: 0 }],
      outputs: [{ value: 5n, script: fromHex('51') }],
    };
    const a = newTransaction('bitcoin', base);
    const b = newTransaction('bitcoin', { ...base, outputs: [{ value: 6n, script: fromHex('51') }] });
    expect(legacySighash(a, 0, fromHex('51'), SIGHASH_NONE)).toEqual(
      legacySighash(b, 0, fromHex('51'), SIGHASH_NONE),
    );
    expect(legacySighash(a, 0, fromHex('51'), SIGHASH_ALL)).not.toEqual(
      legacySighash(b, 0, fromHex('51'), SIGHASH_ALL),
    );
  });
});

describe('ZIP-243 sighash', () => {
  it.each(ZIP243_VECTORS.map((v, i) => [i, v] as const))('official vector %i', (_i, v) => {
    const tx = deserialize(fromHex(v.tx), 'komodo-sapling');
    const digest = zip243Sighash(
      tx,
      v.transparentInput,
      fromHex(v.scriptCode),
      v.amount,
      v.hashType,
      v.consensusBranchId,
    );
    // The JSON renders the digest as a uint256 (byte-reversed); the raw digest is what gets signed.
    expect(hashToDisplayHex(digest)).toBe(v.sighash);
  });

  it('matches the preimage hash of a real KMD mainnet spend (raw digest order)', () => {
    const tx = deserialize(fromHex(KMD_P2PKH_SPEND.hex), 'komodo-sapling');
    const digest = zip243Sighash(
      tx,
      0,
      fromHex(KMD_P2PKH_SPEND.prevScript),
      KMD_P2PKH_SPEND.prevValue,
      SIGHASH_ALL,
    );
    expect(toHex(digest)).toBe(KMD_P2PKH_SPEND.sighash);
  });

  it('commits to the amount and the consensus branch id', () => {
    const tx = deserialize(fromHex(KMD_P2PKH_SPEND.hex), 'komodo-sapling');
    const script = fromHex(KMD_P2PKH_SPEND.prevScript);
    const base = zip243Sighash(tx, 0, script, 1000n, SIGHASH_ALL, SAPLING_BRANCH_ID);
    expect(zip243Sighash(tx, 0, script, 1001n, SIGHASH_ALL, SAPLING_BRANCH_ID)).not.toEqual(base);
    expect(zip243Sighash(tx, 0, script, 1000n, SIGHASH_ALL, 0x5ba81b19)).not.toEqual(base);
    expect(() => zip243Sighash(tx, 1, script, 1000n, SIGHASH_ALL)).toThrow(RangeError);
  });
});

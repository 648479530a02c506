import { deserialize, serialize, toHex } from '@nn/chain-crypto';
import { decodeNotarisationData, encodeNotarisationData } from '@nn/komodo-params';
import { describe, expect, it } from 'vitest';
import { buildNotaryTx, CRYPTO777_PUBKEY, notaryVout0Value } from './notary-tx.js';

const HASH = '027e3758c3a65b12aa1046462b486d0a63bfa1beae327897f56c5cfb7daaae71';

describe('notaryVout0Value: min(10000·m·0.76, 10000·m − 10000)', () => {
  it.each([
    [13, 98_800n],
    [11, 83_600n],
    [3, 20_000n],
    [2, 10_000n],
    [1, 0n],
  ])('m = %i → %i sat', (m, v) => {
    expect(notaryVout0Value(m)).toBe(v);
  });
});

describe('buildNotaryTx (dpow_notarytx)', () => {
  const inputs = [{ txid: 'ab'.repeat(32), vout: 3 }];

  it('sapling coin: v4 overwintered, versiongroupid, one vin per signer, CRYPTO777 + OP_RETURN, empty tail', () => {
    const payload = encodeNotarisationData({ srcHash: HASH, height: 1000, symbol: 'DOC' });
    const tx = buildNotaryTx({ format: 'komodo-sapling', sapling: true }, inputs, payload);
    const hex = toHex(serialize(tx, 'komodo-sapling'));
    expect(hex.startsWith('0400008085202f8901')).toBe(true);
    // vout 0: value 0 (m = 1), 35-byte P2PK of CRYPTO777.
    expect(hex).toContain(`02000000000000000023 21${CRYPTO777_PUBKEY}ac`.replace(/ /g, ''));
    // vout 1: value 0, 6a + push of the payload.
    const len = payload.length.toString(16).padStart(2, '0');
    expect(hex).toContain(
      `0000000000000000${(payload.length + 2).toString(16).padStart(2, '0')}6a${len}${toHex(payload)}`,
    );
    // locktime, expiry, valueBalance, no spends/outputs/joinsplits.
    expect(hex.endsWith(`${'00'.repeat(4)}${'00'.repeat(4)}${'00'.repeat(8)}000000`)).toBe(true);
    const back = deserialize(serialize(tx, 'komodo-sapling'), 'komodo-sapling');
    expect(back.inputs).toHaveLength(1);
    expect(back.inputs[0]?.sequence).toBe(0xffffffff);
    expect(back.inputs[0]?.scriptSig.length).toBe(0);
    expect(back.outputs).toHaveLength(2);
  });

  it('LTC: version 1, legacy serialisation; the payload reads back as komodod reads it', () => {
    const payload = encodeNotarisationData({ srcHash: HASH, height: 4_321_000, symbol: 'KMD' });
    expect(payload.length).toBe(40);
    const tx = buildNotaryTx({ format: 'bitcoin', sapling: false }, inputs, payload);
    const bytes = serialize(tx, 'bitcoin');
    expect(toHex(bytes).startsWith('0100000001')).toBe(true);
    const back = deserialize(bytes, 'bitcoin');
    const script = back.outputs[1]?.script ?? new Uint8Array();
    expect(decodeNotarisationData(script.subarray(2), 'LTC')).toMatchObject({
      srcHash: HASH,
      height: 4_321_000,
      symbol: 'KMD',
    });
  });

  it('a signed input keeps the scriptSig and vin count equals minsigs', () => {
    const payload = encodeNotarisationData({ srcHash: HASH, height: 10, symbol: 'KMD' });
    const three = [0, 1, 2].map((i) => ({
      txid: `${i}`.repeat(64),
      vout: i,
      scriptSig: new Uint8Array([1, i]),
    }));
    const tx = buildNotaryTx({ format: 'bitcoin', sapling: false }, three, payload);
    expect(tx.inputs.map((i) => toHex(i.scriptSig))).toEqual(['0100', '0101', '0102']);
    expect(tx.outputs[0]?.value).toBe(20_000n);
  });

  it('a non-sapling komodo coin gets version 1', () => {
    const payload = encodeNotarisationData({ srcHash: HASH, height: 10, symbol: 'X' });
    const tx = buildNotaryTx({ format: 'komodo-sapling', sapling: false }, inputs, payload);
    expect(toHex(serialize(tx, 'komodo-sapling')).startsWith('0100000001')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { KMD_PREFIXES } from './addresses.js';
import { concatBytes } from './bytes.js';
import { CRYPTO777_PUBKEY, KMD_BLOCK_1795885_LAST_TX, KMD_P2PKH_SPEND } from './fixtures/komodo-txs.js';
import { SIGHASH_VECTORS } from './fixtures/sighash-vectors.js';
import { ZIP243_VECTORS } from './fixtures/zip243-vectors.js';
import { fromHex, toHex } from './hex.js';
import { parseScriptSig } from './script-sig.js';
import { classifyScript, isNotaryUtxoScript, p2pkhScript, scriptToAddress } from './script-templates.js';
import { deserialize, newTransaction, serialize, transactionLength, txid, wtxid } from './transaction.js';
import { SAPLING_VERSION_GROUP_ID, type Transaction, TxDecodeError } from './tx-types.js';

function sampleTx(fields: Partial<Transaction> = {}, format: 'bitcoin' | 'komodo-sapling' = 'bitcoin') {
  return newTransaction(format, {
    inputs: [{ prevTxid: KMD_P2PKH_SPEND.txid, vout: 3, scriptSig: fromHex('51'), sequence: 0xfffffffe }],
    outputs: [{ value: 12345n, script: p2pkhScript(new Uint8Array(20).fill(9)) }],
    lockTime: 77,
    ...fields,
  });
}

describe('komodo-sapling format', () => {
  it('decodes a real KMD v4 transaction, re-encodes it byte for byte and computes its txid', () => {
    const tx = deserialize(fromHex(KMD_P2PKH_SPEND.hex), 'komodo-sapling');
    expect(tx.version).toBe(4);
    expect(tx.overwintered).toBe(true);
    expect(tx.versionGroupId).toBe(SAPLING_VERSION_GROUP_ID);
    expect(tx.inputs).toHaveLength(1);
    expect(tx.inputs[0]?.prevTxid).toBe('f6118b221c4e5f436d536eded8486f6b0cc6ab99ca424da120fec593304acd8c');
    expect(tx.inputs[0]?.vout).toBe(1);
    expect(tx.outputs[0]?.value).toBe(KMD_P2PKH_SPEND.toValue);
    expect(scriptToAddress(tx.outputs[0]?.script ?? new Uint8Array(), KMD_PREFIXES)).toBe(
      KMD_P2PKH_SPEND.toAddress,
    );
    expect(tx.expiryHeight).toBe(0);
    expect(tx.valueBalance).toBe(0n);
    expect(toHex(serialize(tx, 'komodo-sapling'))).toBe(KMD_P2PKH_SPEND.hex);
    expect(txid(tx, 'komodo-sapling')).toBe(KMD_P2PKH_SPEND.txid);
  });

  it('decodes a notary-style transaction from KMD block 1795885', () => {
    const tx = deserialize(fromHex(KMD_BLOCK_1795885_LAST_TX), 'komodo-sapling');
    expect(parseScriptSig(tx.inputs[0]?.scriptSig ?? new Uint8Array())?.type).toBe('p2pk');
    const [p2pk, opReturn] = tx.outputs;
    expect(p2pk?.value).toBe(5000n);
    expect(isNotaryUtxoScript(p2pk?.script ?? new Uint8Array(), fromHex(CRYPTO777_PUBKEY))).toBe(true);
    const c = classifyScript(opReturn?.script ?? new Uint8Array());
    expect(c.type === 'nulldata' && toHex(c.data)).toBe(
      'afd3070729dad0191ff74b26e072eacd2382248047f8f4428cda690a67389c80',
    );
    expect(tx.lockTime).toBe(0x5e722224);
    expect(tx.expiryHeight).toBe(0x1b67f5);
    expect(toHex(serialize(tx, 'komodo-sapling'))).toBe(KMD_BLOCK_1795885_LAST_TX);
  });

  it('round-trips the ZIP-243 vectors with shielded spends, outputs and binding signatures', () => {
    for (const v of ZIP243_VECTORS) {
      const tx = deserialize(fromHex(v.tx), 'komodo-sapling');
      expect(tx.shieldedSpends.length + tx.shieldedOutputs.length).toBeGreaterThan(0);
      expect(tx.bindingSig?.length).toBe(64);
      expect(toHex(serialize(tx, 'komodo-sapling'))).toBe(v.tx);
    }
  });

  it('writes and reads legacy version-1 transactions exactly as Bitcoin does', () => {
    const v1 = sampleTx({ version: 1, overwintered: false, versionGroupId: 0 }, 'komodo-sapling');
    const bytes = serialize(v1, 'komodo-sapling');
    expect(toHex(bytes.subarray(0, 4))).toBe('01000000');
    expect(bytes).toEqual(serialize(v1, 'bitcoin'));
    expect(deserialize(bytes, 'komodo-sapling')).toEqual(v1);
  });

  it('defaults new transactions to Sapling v4 and writes the 0x80000004 header and group id', () => {
    const tx = sampleTx({ expiryHeight: 1000 }, 'komodo-sapling');
    const bytes = serialize(tx, 'komodo-sapling');
    expect(toHex(bytes.subarray(0, 8))).toBe('0400008085202f89');
    expect(deserialize(bytes, 'komodo-sapling')).toEqual(tx);
  });

  it('refuses witnesses, Sapling fields on legacy versions and unknown overwintered groups', () => {
    const witnessed = sampleTx({}, 'komodo-sapling');
    (witnessed.inputs[0] as { witness?: Uint8Array[] }).witness = [fromHex('01')];
    expect(() => serialize(witnessed, 'komodo-sapling')).toThrow(TypeError);
    expect(() =>
      serialize(
        sampleTx({ version: 1, overwintered: false, valueBalance: 5n }, 'komodo-sapling'),
        'komodo-sapling',
      ),
    ).toThrow(TypeError);
    const overwinterV3 = fromHex(`0300008070824c03${'00'.repeat(10)}`);
    expect(() => deserialize(overwinterV3, 'komodo-sapling')).toThrow(/unsupported overwintered/);
  });
});

describe('bitcoin format', () => {
  it('round-trips the (strictly decodable) sighash.json transactions', () => {
    for (const [hex] of SIGHASH_VECTORS) {
      expect(toHex(serialize(deserialize(fromHex(hex), 'bitcoin'), 'bitcoin'))).toBe(hex);
    }
  });

  it('keeps negative int32 versions', () => {
    const tx = sampleTx({ version: -5 });
    expect(deserialize(serialize(tx, 'bitcoin'), 'bitcoin').version).toBe(-5);
  });

  it('reads segwit transactions, keeps witnesses and leaves them out of the txid', () => {
    const plain = sampleTx();
    const witnessed = sampleTx();
    (witnessed.inputs[0] as { witness?: Uint8Array[] }).witness = [fromHex('3044aa'), fromHex('02bb')];
    const bytes = serialize(witnessed, 'bitcoin');
    expect(toHex(bytes.subarray(4, 6))).toBe('0001');
    const back = deserialize(bytes, 'bitcoin');
    expect(back.inputs[0]?.witness).toEqual([fromHex('3044aa'), fromHex('02bb')]);
    expect(txid(back, 'bitcoin')).toBe(txid(plain, 'bitcoin'));
    expect(wtxid(back, 'bitcoin')).not.toBe(txid(back, 'bitcoin'));
    expect(serialize(back, 'bitcoin', { witness: false })).toEqual(serialize(plain, 'bitcoin'));
  });

  it('rejects superfluous witness records and unknown flags', () => {
    const legacy = serialize(sampleTx(), 'bitcoin');
    const body = legacy.subarray(4, legacy.length - 4);
    const version = legacy.subarray(0, 4);
    const lock = legacy.subarray(legacy.length - 4);
    const emptyWitness = concatBytes(version, fromHex('0001'), body, fromHex('00'), lock);
    expect(() => deserialize(emptyWitness, 'bitcoin')).toThrow(/superfluous witness/);
    const unknownFlag = concatBytes(version, fromHex('0002'), body, lock);
    expect(() => deserialize(unknownFlag, 'bitcoin')).toThrow(/unknown transaction optional data/);
  });

  it('refuses to write Zcash fields in bitcoin format', () => {
    expect(() => serialize(sampleTx({}, 'komodo-sapling'), 'bitcoin')).toThrow(TypeError);
  });
});

describe('strict decoding', () => {
  const formats = [
    ['komodo-sapling', KMD_P2PKH_SPEND.hex],
    ['bitcoin', SIGHASH_VECTORS[0]?.[0] ?? ''],
  ] as const;

  it.each(formats)('%s: trailing bytes are an error', (format, hex) => {
    expect(() => deserialize(fromHex(`${hex}00`), format)).toThrow(TxDecodeError);
  });

  it.each(formats)('%s: every truncation is an error', (format, hex) => {
    const bytes = fromHex(hex);
    for (let n = 0; n < bytes.length; n++) {
      expect(() => deserialize(bytes.subarray(0, n), format), `length ${n}`).toThrow(TxDecodeError);
    }
  });

  it('absurd input/output counts fail before allocating', () => {
    expect(() => deserialize(fromHex('01000000fe00000001aabbcc'), 'bitcoin')).toThrow(/absurd count/);
    expect(() => deserialize(fromHex('0400008085202f89fdff00'), 'komodo-sapling')).toThrow(/absurd count/);
    expect(() => deserialize(fromHex('0400008085202f8900ff0000000000000001'), 'komodo-sapling')).toThrow(
      TxDecodeError,
    );
  });

  it('transactionLength finds where one transaction ends inside a larger buffer', () => {
    const a = fromHex(KMD_P2PKH_SPEND.hex);
    const b = fromHex(KMD_BLOCK_1795885_LAST_TX);
    expect(transactionLength(concatBytes(a, b), 'komodo-sapling')).toBe(a.length);
  });
});

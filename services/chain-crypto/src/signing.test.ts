import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { KMD_P2PKH_SPEND } from './fixtures/komodo-txs.js';
import { hash160 } from './hashes.js';
import { fromHex } from './hex.js';
import { generatePrivateKey, publicKeyOf } from './keys.js';
import { buildScript } from './script.js';
import { p2pkhScriptSig, parseScriptSig } from './script-sig.js';
import { nullDataScript, p2pkhScript, p2pkScript } from './script-templates.js';
import { SIGHASH_ALL, SIGHASH_ANYONECANPAY, SIGHASH_NONE, SIGHASH_SINGLE } from './sighash-legacy.js';
import { SignError, signInput, verifyInput } from './signing.js';
import { deserialize, newTransaction, serialize } from './transaction.js';
import type { Transaction, TxFormat } from './tx-types.js';

const priv = fromHex('1b4dfb53a6f8f1c2f5d2a1ce07d0c3a3e1e1b8a8f7a6c5d4e3f2a1b0c9d8e7f6');
const pub = publicKeyOf(priv);
const PREV_VALUE = 10000n;

function spendTx(format: TxFormat): Transaction {
  return newTransaction(format, {
    version: format === 'bitcoin' ? 2 : 4,
    inputs: [
      { prevTxid: 'ab'.repeat(32), vout: 0, scriptSig: new Uint8Array(), sequence: 0xffffffff },
      { prevTxid: 'cd'.repeat(32), vout: 7, scriptSig: new Uint8Array(), sequence: 0xffffffff },
    ],
    outputs: [
      { value: 9000n, script: p2pkScript(pub) },
      { value: 0n, script: nullDataScript(new Uint8Array(40).fill(1)) },
    ],
    expiryHeight: format === 'bitcoin' ? 0 : 200,
  });
}

const cases = [
  ['bitcoin', 'P2PK'],
  ['bitcoin', 'P2PKH'],
  ['komodo-sapling', 'P2PK'],
  ['komodo-sapling', 'P2PKH'],
] as const;

describe.each(cases)('%s %s: sign → verify → tamper', (format, kind) => {
  const prevScript = kind === 'P2PK' ? p2pkScript(pub) : p2pkhScript(hash160(pub));
  const opts = { prevScript, prevValue: PREV_VALUE, format } as const;
  const signed = signInput(spendTx(format), 1, { ...opts, privateKey: priv });

  it('produces the minimal scriptSig with a DER low-S signature and SIGHASH_ALL', () => {
    const parsed = parseScriptSig(signed.inputs[1]?.scriptSig ?? new Uint8Array());
    expect(parsed?.type).toBe(kind === 'P2PK' ? 'p2pk' : 'p2pkh');
    if (parsed?.type === 'p2pkh') expect(parsed.pubkey).toEqual(pub);
    const sig = parsed?.signature ?? new Uint8Array();
    expect(sig.at(-1)).toBe(SIGHASH_ALL);
    expect(secp256k1.Signature.fromBytes(sig.subarray(0, -1), 'der').hasHighS()).toBe(false);
    // The other input is untouched and the original transaction object is not mutated.
    expect(signed.inputs[0]?.scriptSig.length).toBe(0);
    expect(spendTx(format).inputs[1]?.scriptSig.length).toBe(0);
  });

  it('verifies, also after a serialize/deserialize round trip', () => {
    expect(verifyInput(signed, 1, opts)).toBe(true);
    expect(verifyInput(deserialize(serialize(signed, format), format), 1, opts)).toBe(true);
  });

  it('is deterministic (RFC 6979)', () => {
    expect(signInput(spendTx(format), 1, { ...opts, privateKey: priv }).inputs[1]?.scriptSig).toEqual(
      signed.inputs[1]?.scriptSig,
    );
  });

  it('fails once an output is changed', () => {
    const tampered = structuredClone(signed);
    (tampered.outputs[0] as { value: bigint }).value = 9001n;
    expect(verifyInput(tampered, 1, opts)).toBe(false);
  });

  it('fails once the signature is altered or the wrong input is checked', () => {
    const tampered = structuredClone(signed);
    const script = tampered.inputs[1]?.scriptSig as Uint8Array;
    script[10] = (script[10] as number) ^ 0x01;
    expect(verifyInput(tampered, 1, opts)).toBe(false);
    const moved = structuredClone(signed);
    (moved.inputs[0] as { scriptSig: Uint8Array }).scriptSig = signed.inputs[1]?.scriptSig as Uint8Array;
    expect(verifyInput(moved, 0, opts)).toBe(false);
  });

  it('fails against another key', () => {
    const other = publicKeyOf(generatePrivateKey());
    const otherScript = kind === 'P2PK' ? p2pkScript(other) : p2pkhScript(hash160(other));
    expect(verifyInput(signed, 1, { ...opts, prevScript: otherScript })).toBe(false);
  });

  it(
    format === 'komodo-sapling'
      ? 'commits to the spent amount (ZIP-243)'
      : 'does not sign the amount (legacy)',
    () => {
      expect(verifyInput(signed, 1, { ...opts, prevValue: PREV_VALUE + 1n })).toBe(format === 'bitcoin');
    },
  );
});

describe('signing details', () => {
  it('verifies the signature of a real KMD mainnet transaction', () => {
    const tx = deserialize(fromHex(KMD_P2PKH_SPEND.hex), 'komodo-sapling');
    const opts = { prevScript: fromHex(KMD_P2PKH_SPEND.prevScript), format: 'komodo-sapling' } as const;
    expect(verifyInput(tx, 0, { ...opts, prevValue: KMD_P2PKH_SPEND.prevValue })).toBe(true);
    expect(verifyInput(tx, 0, { ...opts, prevValue: KMD_P2PKH_SPEND.prevValue - 1n })).toBe(false);
  });

  it('signs legacy v1 komodo transactions with the Bitcoin algorithm', () => {
    const tx = {
      ...spendTx('komodo-sapling'),
      version: 1,
      overwintered: false,
      versionGroupId: 0,
      expiryHeight: 0,
    };
    const opts = { prevScript: p2pkScript(pub), prevValue: PREV_VALUE, format: 'komodo-sapling' } as const;
    const signed = signInput(tx, 0, { ...opts, privateKey: priv });
    expect(verifyInput(signed, 0, opts)).toBe(true);
    // Same digest as the bitcoin format, since v1 bytes are identical.
    expect(verifyInput(signed, 0, { ...opts, format: 'bitcoin' })).toBe(true);
  });

  it('ANYONECANPAY|SINGLE signatures survive added inputs and later outputs', () => {
    for (const format of ['bitcoin', 'komodo-sapling'] as const) {
      const opts = { prevScript: p2pkScript(pub), prevValue: PREV_VALUE, format } as const;
      const hashType = SIGHASH_SINGLE | SIGHASH_ANYONECANPAY;
      const signed = signInput(spendTx(format), 0, { ...opts, privateKey: priv, hashType });
      const grown = structuredClone(signed);
      grown.inputs.push({ prevTxid: 'ef'.repeat(32), vout: 1, scriptSig: new Uint8Array(), sequence: 5 });
      grown.outputs.push({ value: 1n, script: p2pkScript(pub) });
      expect(verifyInput(grown, 0, opts)).toBe(true);
      (grown.outputs[0] as { value: bigint }).value = 1n;
      expect(verifyInput(grown, 0, opts)).toBe(false);
    }
  });

  it('SIGHASH_NONE signatures do not cover the outputs', () => {
    const opts = { prevScript: p2pkScript(pub), prevValue: PREV_VALUE, format: 'komodo-sapling' } as const;
    const signed = signInput(spendTx('komodo-sapling'), 0, {
      ...opts,
      privateKey: priv,
      hashType: SIGHASH_NONE,
    });
    const changed = structuredClone(signed);
    changed.outputs = [{ value: 1n, script: p2pkScript(pub) }];
    expect(verifyInput(changed, 0, opts)).toBe(true);
  });

  it('refuses keys that do not own the output and scripts it cannot sign', () => {
    const otherPub = publicKeyOf(generatePrivateKey());
    const base = { prevValue: PREV_VALUE, format: 'bitcoin', privateKey: priv } as const;
    expect(() => signInput(spendTx('bitcoin'), 0, { ...base, prevScript: p2pkScript(otherPub) })).toThrow(
      SignError,
    );
    expect(() =>
      signInput(spendTx('bitcoin'), 0, { ...base, prevScript: p2pkhScript(hash160(otherPub)) }),
    ).toThrow(SignError);
    expect(() => signInput(spendTx('bitcoin'), 0, { ...base, prevScript: nullDataScript() })).toThrow(
      SignError,
    );
    expect(() => signInput(spendTx('bitcoin'), 5, { ...base, prevScript: p2pkScript(pub) })).toThrow(
      RangeError,
    );
  });

  it('signs P2PKH outputs of uncompressed keys with the uncompressed pubkey', () => {
    const uncompressed = publicKeyOf(priv, false);
    const opts = {
      prevScript: p2pkhScript(hash160(uncompressed)),
      prevValue: PREV_VALUE,
      format: 'bitcoin',
    } as const;
    const signed = signInput(spendTx('bitcoin'), 0, { ...opts, privateKey: priv });
    const parsed = parseScriptSig(signed.inputs[0]?.scriptSig ?? new Uint8Array());
    expect(parsed?.type === 'p2pkh' && parsed.pubkey).toEqual(uncompressed);
    expect(verifyInput(signed, 0, opts)).toBe(true);
  });

  it('rejects a P2PKH scriptSig whose pubkey does not hash to the output', () => {
    const opts = { prevScript: p2pkhScript(hash160(pub)), prevValue: PREV_VALUE, format: 'bitcoin' } as const;
    const signed = signInput(spendTx('bitcoin'), 0, { ...opts, privateKey: priv });
    const parsed = parseScriptSig(signed.inputs[0]?.scriptSig ?? new Uint8Array());
    const otherPub = publicKeyOf(generatePrivateKey());
    const swapped = structuredClone(signed);
    (swapped.inputs[0] as { scriptSig: Uint8Array }).scriptSig = p2pkhScriptSig(
      parsed?.signature ?? new Uint8Array(),
      otherPub,
    );
    expect(verifyInput(swapped, 0, opts)).toBe(false);
    const garbage = structuredClone(signed);
    (garbage.inputs[0] as { scriptSig: Uint8Array }).scriptSig = buildScript([0x51]);
    expect(verifyInput(garbage, 0, opts)).toBe(false);
  });
});

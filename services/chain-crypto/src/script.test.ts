import { describe, expect, it } from 'vitest';
import { KMD_PREFIXES } from './addresses.js';
import { CRYPTO777_KMDADDR, CRYPTO777_PUBKEY } from './fixtures/komodo-txs.js';
import { hash160 } from './hashes.js';
import { fromHex, toHex } from './hex.js';
import { publicKeyOf } from './keys.js';
import { buildScript, OP, parseScript, pushData, readScriptOp, ScriptError } from './script.js';
import { p2pkhScriptSig, p2pkScriptSig, parseScriptSig } from './script-sig.js';
import {
  addressToScript,
  classifyScript,
  extractNullData,
  isNotaryUtxoScript,
  nullDataScript,
  p2pkhScript,
  p2pkScript,
  p2shScript,
  scriptToAddress,
} from './script-templates.js';

const PUB = fromHex(CRYPTO777_PUBKEY);
const bytes = (n: number, fill = 0xaa) => new Uint8Array(n).fill(fill);

describe('push encoding', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [75, '4b'],
    [76, '4c4c'],
    [255, '4cff'],
    [256, '4d0001'],
    [65535, '4dffff'],
    [65536, '4e00000100'],
  ])('a %i-byte push starts with %s', (n, prefix) => {
    const encoded = pushData(bytes(n));
    expect(toHex(encoded.subarray(0, prefix.length / 2))).toBe(prefix);
    expect(encoded.length).toBe(n + prefix.length / 2);
    const chunks = parseScript(encoded);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.data?.length).toBe(n);
  });

  it('tokenizes and reports truncated pushes', () => {
    expect(() => parseScript(fromHex('4c05aabb'))).toThrow(ScriptError);
    expect(readScriptOp(fromHex('4c05aabb'), 0)).toEqual({ ok: false, stop: 2 });
    expect(() => buildScript([256])).toThrow(ScriptError);
  });
});

describe('output scripts', () => {
  it('builds and classifies P2PK (the notary UTXO form 21<pubkey>ac)', () => {
    const script = p2pkScript(PUB);
    expect(toHex(script)).toBe(`21${CRYPTO777_PUBKEY}ac`);
    const c = classifyScript(script);
    expect(c.type).toBe('pubkey');
    expect(c.type === 'pubkey' && toHex(c.pubkey)).toBe(CRYPTO777_PUBKEY);
    const uncompressed = p2pkScript(publicKeyOf(fromHex(`${'00'.repeat(31)}07`), false));
    expect(uncompressed.length).toBe(67);
    expect(classifyScript(uncompressed).type).toBe('pubkey');
  });

  it('builds and classifies P2PKH and P2SH', () => {
    const h = hash160(PUB);
    expect(toHex(p2pkhScript(h))).toBe(`76a914${toHex(h)}88ac`);
    expect(classifyScript(p2pkhScript(h))).toEqual({ type: 'pubkeyhash', hash: h });
    expect(toHex(p2shScript(h))).toBe(`a914${toHex(h)}87`);
    expect(classifyScript(p2shScript(h))).toEqual({ type: 'scripthash', hash: h });
    expect(() => p2pkhScript(bytes(19))).toThrow(ScriptError);
  });

  it('builds OP_RETURN scripts with the right pushdata and extracts the data', () => {
    const small = bytes(32);
    expect(toHex(nullDataScript(small))).toBe(`6a20${toHex(small)}`);
    const notarisation = bytes(76, 0x11); // KMD notarisations push 76+ bytes: OP_PUSHDATA1
    const script = nullDataScript(notarisation);
    expect(toHex(script.subarray(0, 3))).toBe('6a4c4c');
    expect(extractNullData(script)).toEqual(notarisation);
    const big = nullDataScript(bytes(300));
    expect(toHex(big.subarray(0, 4))).toBe('6a4d2c01');
    expect(extractNullData(big)?.length).toBe(300);
    expect(classifyScript(fromHex('6a'))).toEqual({ type: 'nulldata', data: new Uint8Array(0), pushes: [] });
  });

  it('calls non-push OP_RETURN tails, truncated pushes and odd shapes nonstandard', () => {
    expect(classifyScript(fromHex('6aac')).type).toBe('nonstandard');
    expect(classifyScript(fromHex('6a4c05aa')).type).toBe('nonstandard');
    expect(classifyScript(fromHex(`21${'05'.repeat(33)}ac`)).type).toBe('nonstandard'); // bad pubkey header
    expect(classifyScript(new Uint8Array(0)).type).toBe('nonstandard');
    expect(extractNullData(p2pkScript(PUB))).toBeUndefined();
  });

  it('maps scripts to addresses and back', () => {
    expect(scriptToAddress(p2pkScript(PUB), KMD_PREFIXES)).toBe(CRYPTO777_KMDADDR);
    expect(scriptToAddress(p2pkhScript(hash160(PUB)), KMD_PREFIXES)).toBe(CRYPTO777_KMDADDR);
    expect(scriptToAddress(nullDataScript(bytes(4)), KMD_PREFIXES)).toBeUndefined();
    expect(addressToScript(CRYPTO777_KMDADDR, KMD_PREFIXES)).toEqual(p2pkhScript(hash160(PUB)));
    const p2sh = scriptToAddress(p2shScript(hash160(PUB)), KMD_PREFIXES) as string;
    expect(p2sh.startsWith('b')).toBe(true);
    expect(addressToScript(p2sh, KMD_PREFIXES)).toEqual(p2shScript(hash160(PUB)));
  });

  it('recognises notary UTXO scripts for exactly that pubkey', () => {
    expect(isNotaryUtxoScript(p2pkScript(PUB), PUB)).toBe(true);
    const other = publicKeyOf(fromHex(`${'00'.repeat(31)}05`));
    expect(isNotaryUtxoScript(p2pkScript(other), PUB)).toBe(false);
    expect(isNotaryUtxoScript(p2pkhScript(hash160(PUB)), PUB)).toBe(false);
    expect(isNotaryUtxoScript(fromHex(`21${CRYPTO777_PUBKEY}ad`), PUB)).toBe(false);
    expect(isNotaryUtxoScript(fromHex(`21${CRYPTO777_PUBKEY}acac`), PUB)).toBe(false);
  });
});

describe('script sigs', () => {
  const sig = fromHex(
    '3045022100c9ba5302eff4dc788eeaf56410cb111fe2b1a1287bab330cbdcf77a582f468e202205f84ba5db019de8c1b80e0e0b3ce15e6143123454240e261c663ba668c5c4a9501',
  );

  it('builds and parses <sig> and <sig> <pubkey>', () => {
    const p2pk = p2pkScriptSig(sig);
    expect(toHex(p2pk)).toBe(`48${toHex(sig)}`);
    expect(parseScriptSig(p2pk)).toEqual({ type: 'p2pk', signature: sig });
    const p2pkh = p2pkhScriptSig(sig, PUB);
    expect(parseScriptSig(p2pkh)).toEqual({ type: 'p2pkh', signature: sig, pubkey: PUB });
  });

  it('rejects other shapes', () => {
    expect(parseScriptSig(new Uint8Array(0))).toBeUndefined();
    expect(parseScriptSig(buildScript([bytes(71)]))).toBeUndefined(); // not DER-shaped
    expect(parseScriptSig(buildScript([sig, bytes(20)]))).toBeUndefined(); // not a pubkey
    expect(parseScriptSig(buildScript([sig, PUB, PUB]))).toBeUndefined();
    expect(parseScriptSig(buildScript([sig, OP.OP_CHECKSIG]))).toBeUndefined();
  });
});

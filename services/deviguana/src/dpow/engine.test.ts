import {
  deserialize,
  fromHex,
  iguanaPassphraseKey,
  p2pkScript,
  serialize,
  signInput,
  toHex,
  txid as txidOf,
} from '@nn/chain-crypto';
import { decodeNotarisationData } from '@nn/komodo-params';
import { describe, expect, it } from 'vitest';
import { opReturnData } from '../api/methods.js';
import { type Coin, coinAddress } from '../coins/coin.js';
import { captureLog, FakeDaemons, TEST_PUBKEY } from '../testkit.js';
import { type DpowEntry, NotarisationEngine } from './engine.js';

const key = iguanaPassphraseKey('myverysecretandstrongpassphrase_noneabletobrute');
const coin = (symbol: string, family: 'komodo' | 'bitcoin', pubkeyHash: number, port: number): Coin => ({
  symbol,
  family,
  format: family === 'komodo' ? 'komodo-sapling' : 'bitcoin',
  sapling: family === 'komodo',
  isPoS: false,
  prefixes: { pubkeyHash, scriptHash: 85, wif: 188 },
  txfeeSats: 10_000n,
  confFile: '',
  confRead: true,
  endpoint: { symbol, port, userpass: 'u:p' },
});
const KMD = coin('KMD', 'komodo', 60, 1);
const DOC = coin('DOC', 'komodo', 60, 2);
const hashAt = (h: number) => h.toString(16).padStart(64, '0');

/** A chain daemon that signs with the notary key and records what it is sent. */
function chain(d: FakeDaemons, c: Coin, height: () => number, utxos: () => number) {
  const addr = coinAddress(c, key.publicKey);
  const sent: string[] = [];
  d.on(c.symbol, 'getbestblockhash', () => hashAt(height()));
  d.on(c.symbol, 'getblock', ([h]) => ({ height: Number.parseInt(String(h), 16) }));
  d.on(c.symbol, 'getblockhash', ([h]) => hashAt(Number(h)));
  d.on(c.symbol, 'getinfo', () => ({ blocks: height(), prevMoMheight: 0 }));
  d.on(c.symbol, 'calc_MoM', ([h, depth]) => ({
    MoM: 'cd'.repeat(32),
    height: Number(h),
    MoMdepth: Number(depth),
  }));
  d.on(c.symbol, 'listunspent', () =>
    Array.from({ length: utxos() }, (_, i) => ({
      txid: `${c.endpoint.port}${i}`.padEnd(64, 'a'),
      vout: i,
      address: addr,
      amount: 0.0001,
      scriptPubKey: `21${TEST_PUBKEY}ac`,
      spendable: true,
    })),
  );
  d.on(c.symbol, 'lockunspent', () => true);
  d.on(c.symbol, 'signrawtransaction', ([hex, vins]) => {
    const tx = deserialize(fromHex(String(hex)), c.format);
    const v = (vins as Array<{ amount: number }>)[0];
    const signed = signInput(tx, 0, {
      privateKey: key.privateKey,
      prevScript: p2pkScript(key.publicKey),
      prevValue: BigInt(Math.round((v?.amount ?? 0) * 1e8)),
      format: c.format,
    });
    return { hex: toHex(serialize(signed, c.format)), complete: true };
  });
  d.on(c.symbol, 'decoderawtransaction', ([hex]) => ({
    vin: deserialize(fromHex(String(hex)), c.format).inputs.map((i) => ({
      scriptSig: { hex: toHex(i.scriptSig) },
    })),
  }));
  d.on(c.symbol, 'sendrawtransaction', ([hex]) => {
    sent.push(String(hex));
    return txidOf(deserialize(fromHex(String(hex)), c.format), c.format);
  });
  return sent;
}

function entry(over: Partial<DpowEntry> = {}): DpowEntry {
  return {
    symbol: 'DOC',
    dest: 'KMD',
    pubkey: TEST_PUBKEY,
    srcconfirms: 5,
    freq: 2,
    minsigs: 1,
    ccid: 0,
    lastHeight: undefined,
    prevDestHeight: 0,
    rounds: 0,
    completed: 0,
    current: undefined,
    last: undefined,
    lastProblem: undefined,
    ...over,
  };
}

describe('NotarisationEngine round (assetchain → KMD)', () => {
  it('dest tx on KMD with MoM, back tx on the chain with desttxid; the KMD UTXO locked then unlocked', async () => {
    const d = new FakeDaemons();
    let docHeight = 100;
    const kmdSent = chain(
      d,
      KMD,
      () => 500,
      () => 5,
    );
    const docSent = chain(
      d,
      DOC,
      () => docHeight,
      () => 5,
    );
    const { log } = captureLog();
    const engine = new NotarisationEngine({
      caller: d,
      coin: (s) => (s === 'KMD' ? KMD : DOC),
      notaries: [{ index: 0, name: 'dev', pubkey: TEST_PUBKEY }],
      log,
      pollMs: 1000,
      random: () => 0,
    });
    const e = entry();
    engine.add(e);
    await engine.poll(e); // first look: height 100 only, candidate 94 (even) → due
    expect(e.completed).toBe(1);
    expect(e.last?.height).toBe(94);
    expect(kmdSent).toHaveLength(1);
    expect(docSent).toHaveLength(1);
    const dest = deserialize(fromHex(kmdSent[0] as string), 'komodo-sapling');
    expect(dest.version).toBe(4);
    expect(dest.inputs).toHaveLength(1);
    const destData = decodeNotarisationData(
      opReturnData(toHex(dest.outputs[1]?.script ?? new Uint8Array())) ?? new Uint8Array(),
      'KMD',
    );
    expect(destData).toMatchObject({
      srcHash: hashAt(94),
      height: 94,
      symbol: 'DOC',
      mom: 'cd'.repeat(32),
      momDepth: 93,
    });
    expect(destData?.destTxid).toBeUndefined();
    const back = deserialize(fromHex(docSent[0] as string), 'komodo-sapling');
    const backData = decodeNotarisationData(
      opReturnData(toHex(back.outputs[1]?.script ?? new Uint8Array())) ?? new Uint8Array(),
      'DOC',
    );
    expect(backData).toMatchObject({ height: 94, destTxid: e.last?.desttxid, symbol: 'DOC', momDepth: 93 });
    const locks = d.calls.filter((c) => c.method === 'lockunspent');
    expect(locks.map((c) => [c.symbol, c.params[0]])).toEqual([
      ['KMD', false],
      ['KMD', true],
    ]);
    const sign = d.calls.find((c) => c.symbol === 'KMD' && c.method === 'signrawtransaction');
    expect((sign?.params[1] as unknown[] | undefined)?.[0]).toMatchObject({
      amount: 0.0001,
      scriptPubKey: `21${TEST_PUBKEY}ac`,
    });

    // Next heights: 101 → candidate 95 (odd, not due); and KMD has not moved 10 blocks: suppressed.
    docHeight = 103;
    await engine.poll(e);
    expect(e.completed).toBe(1);
  });

  it('no notary UTXO: Iguana’s line, nothing sent; not in the elected list: skipped', async () => {
    const d = new FakeDaemons();
    const kmdSent = chain(
      d,
      KMD,
      () => 500,
      () => 0,
    );
    chain(
      d,
      DOC,
      () => 100,
      () => 5,
    );
    const { log, text } = captureLog();
    const notaries = [{ index: 0, name: 'dev', pubkey: TEST_PUBKEY }];
    const engine = new NotarisationEngine({
      caller: d,
      coin: (s) => (s === 'KMD' ? KMD : DOC),
      notaries,
      log,
      pollMs: 1000,
    });
    const e = entry();
    await engine.poll(e);
    expect(kmdSent).toHaveLength(0);
    expect(e.lastProblem?.message).toMatch(
      /^no \(DOC -> KMD\) utxo: need to fund address\.\(R\w+\) or wait for splitfund to confirm$/,
    );
    expect(text()).toContain('no (DOC -> KMD) utxo');

    const stranger = new NotarisationEngine({
      caller: d,
      coin: (s) => (s === 'KMD' ? KMD : DOC),
      notaries: [{ index: 0, name: 'x', pubkey: `03${'11'.repeat(32)}` }],
      log,
      pollMs: 1000,
    });
    const e2 = entry();
    await stranger.poll(e2);
    expect(e2.lastProblem?.message).toMatch(/is not official notary/);
    expect(e2.rounds).toBe(0);
  });

  it('minsigs above 1 cannot be met by a lone deviguana', async () => {
    const d = new FakeDaemons();
    chain(
      d,
      KMD,
      () => 500,
      () => 5,
    );
    chain(
      d,
      DOC,
      () => 100,
      () => 5,
    );
    const { log } = captureLog();
    const engine = new NotarisationEngine({
      caller: d,
      coin: (s) => (s === 'KMD' ? KMD : DOC),
      notaries: [{ index: 0, name: 'dev', pubkey: TEST_PUBKEY }],
      log,
      pollMs: 1000,
    });
    const e = entry({ minsigs: 2 });
    await engine.poll(e);
    expect(e.completed).toBe(0);
    expect(e.lastProblem?.message).toMatch(/needs minsigs\.2/);
  });
});

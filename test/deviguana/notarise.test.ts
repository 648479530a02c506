import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeWif,
  fromHex,
  iguanaPassphraseKey,
  KMD_PREFIXES,
  LTC_PREFIXES,
  p2pkhAddress,
  toHex,
} from '@nn/chain-crypto';
import { decodeNotarisationData } from '@nn/komodo-params';
import { eventually, freePorts } from '@nn/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DevchainPool, type DevchainProcess, writeConf } from '../helpers/devchain-process.js';
import { api, type DeviguanaProcess, startDeviguana, waitForApi } from './deviguana-process.js';

// The whole dPoW start-up sequence of dPoW's m_notary_main / dpowassets against real devchain processes
// (LTC flavour, KMD with -notary, one assetchain) sharing one HOME, as on a notary host; then the
// notarisation transactions deviguana produces, read back from each chain.

const CRYPTO777 = '020e46e79a2a8d12b9b5d12c7a91adb4e454edfae43c0a0cb805427d2ac7613fd9';
const PASSPHRASE = 'deviguana e2e notary passphrase, never logged';
const AC = 'DVGTEST';

const pool = new DevchainPool();
let dv: DeviguanaProcess | undefined;
afterEach(async () => {
  await dv?.kill('SIGKILL');
  dv = undefined;
  await pool.cleanup();
});

interface RawTx {
  txid: string;
  version: number;
  overwintered?: boolean;
  confirmations?: number;
  vin: Array<{ txid: string; vout: number }>;
  vout: Array<{ value: number; scriptPubKey: { hex: string } }>;
}

function payloadOf(tx: RawTx, ownSymbol: string) {
  const hex = tx.vout[1]?.scriptPubKey.hex ?? '';
  expect(hex.startsWith('6a')).toBe(true);
  const bytes = fromHex(hex);
  const len = bytes[1] as number;
  const data = len === 0x4c ? bytes.subarray(3, 3 + (bytes[2] as number)) : bytes.subarray(2, 2 + len);
  return { data, decoded: decodeNotarisationData(data, ownSymbol) };
}

interface DevStatus {
  dpow: Array<{
    symbol: string;
    dest: string;
    minsigs: number;
    freq: number;
    completed: number;
    lastheight: number | null;
    rounds: number;
    current: { height: number } | null;
    last: { height: number; hash: string; desttxid: string; srctxid: string } | null;
    problem: { message: string } | null;
  }>;
}

async function devstatus(port: number): Promise<DevStatus> {
  return (await api(port, { agent: 'dpow', method: 'devstatus' })).json as unknown as DevStatus;
}

async function entryDone(port: number, symbol: string, completed: number) {
  return eventually(
    async () => {
      const e = (await devstatus(port)).dpow.find((d) => d.symbol === symbol);
      return e && e.completed >= completed && e.last ? e.last : undefined;
    },
    60_000,
    `${symbol} notarisation #${completed}`,
  );
}

describe('deviguana notarises KMD→LTC and an assetchain→KMD through devchain daemons', () => {
  it('runs the start-up sequence, fails without UTXOs, then lands notarisations that move notarized', async () => {
    const key = iguanaPassphraseKey(PASSPHRASE);
    const pubkey = toHex(key.publicKey);
    const home = pool.home('deviguana-');
    const p = await freePorts('ltcP2p', 'ltcRpc', 'kmdP2p', 'kmdRpc', 'acP2p', 'acRpc', 'api');
    const elected = join(home, 'elected');
    writeFileSync(
      elected,
      JSON.stringify({
        port: 17775,
        BTCminsigs: 1,
        minsigs: 1,
        seeds: ['127.0.0.1'],
        notaries: [{ dev_NN: pubkey }],
      }),
    );
    writeConf(join(home, '.litecoin', 'litecoin.conf'), {
      rpcuser: 'ltcuser',
      rpcpassword: 'ltcpassword0123456789',
      rpcport: p.ltcRpc,
      server: 1,
      txindex: 1,
    });
    writeConf(join(home, '.komodo', 'komodo.conf'), {
      rpcuser: 'kmduser',
      rpcpassword: 'kmdpassword0123456789',
      rpcport: p.kmdRpc,
      server: 1,
      txindex: 1,
    });
    const ltc = pool.start(['-devflavour=litecoin', '-gen=0', `-port=${p.ltcP2p}`], home);
    const kmd = pool.start(
      [
        '-gen=0',
        `-port=${p.kmdP2p}`,
        `-pubkey=${pubkey}`,
        '-notary=.litecoin/litecoin.conf',
        `-devnotaries=${elected}`,
      ],
      home,
    );
    const ac = pool.start(
      [
        `-ac_name=${AC}`,
        '-ac_supply=1000000',
        '-gen=0',
        `-port=${p.acP2p}`,
        `-rpcport=${p.acRpc}`,
        `-pubkey=${pubkey}`,
        `-devnotaries=${elected}`,
      ],
      home,
    );
    await Promise.all([ltc.waitReady(), kmd.waitReady(), ac.waitReady()]);
    // The operator imports the notary key into LTC and the assetchain; KMD gets it from walletpassphrase.
    // litecoind 0.21 starts without a wallet (-18): the operator makes the unnamed legacy one first.
    await ltc.call('createwallet', ['', false, false, '', false, false, true]);
    await ltc.call('importprivkey', [encodeWif(key.privateKey, LTC_PREFIXES.wif, true), '', false]);
    await ac.call('importprivkey', [encodeWif(key.privateKey, KMD_PREFIXES.wif, true), '', false]);
    const ltcAddr = p2pkhAddress(key.publicKey, LTC_PREFIXES);
    await ltc.call('generatetoaddress', [101, ltcAddr]);
    await kmd.call('generate', [101]);
    await ac.call('generate', [101]);

    dv = startDeviguana([`-port=${p.api}`, '--elected', elected, '--devnet', '--pollms', '200'], home);
    await waitForApi(p.api, dv);
    const port = p.api;
    const rel = (path: string) => join(home, path).replace(/^\//, '');

    // dPoW's sequence: myipaddr, addnotary per seed, addcoin KMD, walletpassphrase, addcoin LTC and the chain.
    expect((await api(port, { agent: 'SuperNET', method: 'myipaddr', ipaddr: '10.1.2.3' })).json.result).toBe(
      '10.1.2.3',
    );
    expect((await api(port, { agent: 'iguana', method: 'addnotary', ipaddr: '127.0.0.1' })).json.result).toBe(
      'notary node added',
    );
    const addKmd = {
      conf: 'komodo.conf',
      path: rel('.komodo'),
      unitval: '20',
      zcash: 1,
      RELAY: -1,
      VALIDATE: 0,
      prefetchlag: -1,
      poll: 10,
      active: 1,
      agent: 'iguana',
      method: 'addcoin',
      newcoin: 'KMD',
      pubval: 60,
      p2shval: 85,
      wifval: 188,
      txfee_satoshis: '10000',
      isPoS: 0,
      sapling: 1,
    };
    expect((await api(port, addKmd)).json.result).toBe('coin added');
    expect((await api(port, addKmd)).json.result).toBe('coin already there');
    const wp = await api(port, { method: 'walletpassphrase', params: [PASSPHRASE, 9999999] });
    expect(wp.json.result).toBe('success');
    expect(wp.json.btcpubkey).toBe(pubkey);
    expect(wp.json.KMD).toBe(p2pkhAddress(key.publicKey, KMD_PREFIXES));
    expect((await kmd.call<{ ismine: boolean }>('validateaddress', [wp.json.KMD])).ismine).toBe(true);
    expect(
      (
        await api(port, {
          conf: 'litecoin.conf',
          path: rel('.litecoin'),
          prefetchlag: -1,
          poll: 1,
          active: 1,
          agent: 'iguana',
          method: 'addcoin',
          newcoin: 'LTC',
          RELAY: -1,
          VALIDATE: 0,
          portp2p: p.ltcP2p,
          minconfirms: 1,
        })
      ).json.result,
    ).toBe('coin added');
    expect(
      (
        await api(port, {
          conf: `${AC}.conf`,
          path: rel(`.komodo/${AC}`),
          zcash: 1,
          RELAY: -1,
          VALIDATE: 0,
          agent: 'iguana',
          method: 'addcoin',
          newcoin: AC,
          p2p: p.acP2p,
          rpc: p.acRpc,
          pubval: 60,
          p2shval: 85,
          wifval: 188,
          txfee_satoshis: '10000',
          isPoS: 0,
          sapling: 1,
        })
      ).json.result,
    ).toBe('coin added');

    // dpow: KMD (→ LTC) and the assetchain (→ KMD).
    expect((await api(port, { agent: 'iguana', method: 'dpow', symbol: 'KMD', pubkey })).json.result).toBe(
      'success',
    );
    expect((await api(port, { agent: 'iguana', method: 'dpow', symbol: 'KMD', pubkey })).json.error).toBe(
      'cant dPoW same coin again',
    );
    expect((await api(port, { agent: 'iguana', method: 'dpow', symbol: AC, pubkey })).json.result).toBe(
      'success',
    );
    const st = await devstatus(port);
    expect(st.dpow.map((d) => [d.symbol, d.dest, d.minsigs, d.freq])).toEqual([
      ['KMD', 'LTC', 1, 10],
      [AC, 'KMD', 1, 2],
    ]);

    // No 10000-sat notary UTXO anywhere yet: Iguana's log line, no transaction. Each failed round must be
    // over before the splits below, or it could find their UTXOs and notarise 100 before the round for
    // 110 this test waits for: first the round for candidate 90 (the tip 101 at dpow), then 100 (tip 111).
    const kmdEntry = async () => (await devstatus(port)).dpow.find((d) => d.symbol === 'KMD');
    const firstRounds = await eventually(
      async () => {
        const e = await kmdEntry();
        return e && e.rounds >= 1 && !e.current ? e.rounds : undefined;
      },
      30_000,
      'the failed round at KMD height 101',
    );
    await kmd.call('generate', [10]);
    const noUtxo = await eventually(
      async () => {
        const e = await kmdEntry();
        const over = e && e.lastheight === 111 && e.rounds > firstRounds && !e.current;
        return over && e.completed === 0 ? e.problem?.message : undefined;
      },
      30_000,
      'the failed round at KMD height 111',
    );
    // Iguana looks at the dest chain (LTC) and then the source (KMD), logging each miss.
    expect(noUtxo).toMatch(
      /^no \( -> KMD\) utxo: need to fund address\.\(R\w+\) or wait for splitfund to confirm$/,
    );
    expect(dv.output()).toMatch(
      /no \(KMD -> LTC\) utxo: need to fund address\.\(L\w+\) or wait for splitfund to confirm/,
    );
    expect((await kmd.call<unknown[]>('listlockunspent')).length).toBe(0);

    // splitfunds on every coin (the operator's chore), confirmed by a block.
    for (const [coin, chain] of [
      ['KMD', kmd],
      ['LTC', ltc],
      [AC, ac],
    ] as Array<[string, DevchainProcess]>) {
      const r = await api(port, {
        coin,
        agent: 'iguana',
        method: 'splitfunds',
        satoshis: '10000',
        sendflag: 1,
        duplicates: 10,
      });
      expect(r.json.error, `${coin} splitfunds: ${r.body}`).toBeUndefined();
      expect(r.json.completed).toBe(true);
      const tx = await chain.call<RawTx>('getrawtransaction', [r.json.txid, 1]);
      expect(
        tx.vout.filter((o) => o.scriptPubKey.hex === `21${pubkey}ac` && o.value === 0.0001),
      ).toHaveLength(10);
      if (chain === ltc) await ltc.call('generatetoaddress', [1, ltcAddr]);
      else await chain.call('generate', [1]);
    }

    // The assetchain's split block (height 102) made candidate 96 due: its first round runs now.
    const acFirst = await entryDone(port, AC, 1);
    expect(acFirst.height).toBe(96);

    // KMD→LTC: 10 more KMD blocks bring a candidate height divisible by 10.
    await kmd.call('generate', [10]);
    const kmdNota = await entryDone(port, 'KMD', 1);
    expect(kmdNota.height).toBe(110);
    expect(kmdNota.hash).toBe(await kmd.call<string>('getblockhash', [kmdNota.height]));
    const ltcTx = await ltc.call<RawTx>('getrawtransaction', [kmdNota.desttxid, 1]);
    expect(ltcTx.version).toBe(1);
    expect(ltcTx.vin).toHaveLength(1);
    expect(ltcTx.vout).toHaveLength(2);
    expect(ltcTx.vout[0]?.scriptPubKey.hex).toBe(`21${CRYPTO777}ac`);
    const onLtc = payloadOf(ltcTx, 'LTC');
    expect(onLtc.data.length).toBe(40);
    expect(onLtc.decoded).toMatchObject({ srcHash: kmdNota.hash, height: kmdNota.height, symbol: 'KMD' });
    const kmdBack = await kmd.call<RawTx>('getrawtransaction', [kmdNota.srctxid, 1]);
    expect(kmdBack.version).toBe(4);
    expect(kmdBack.overwintered).toBe(true);
    const onKmd = payloadOf(kmdBack, 'KMD');
    expect(onKmd.data.length).toBe(72);
    expect(onKmd.decoded).toMatchObject({
      srcHash: kmdNota.hash,
      height: kmdNota.height,
      destTxid: kmdNota.desttxid,
      symbol: 'KMD',
    });
    // The KMD UTXO was locked for the round only.
    expect((await kmd.call<unknown[]>('listlockunspent')).length).toBe(0);

    // Assetchain→KMD: a few assetchain blocks (freq 2, 5 confirmations); KMD is more than 10 blocks on.
    // KMD moved 10 blocks since the first round (DPOW_CHECKPOINTFREQ), so candidate 100 is due.
    await ac.call('generate', [4]);
    const acNota = await entryDone(port, AC, 2);
    expect(acNota.height).toBe(100);
    expect(acNota.hash).toBe(await ac.call<string>('getblockhash', [acNota.height]));
    const destOnKmd = await kmd.call<RawTx>('getrawtransaction', [acNota.desttxid, 1]);
    const destPayload = payloadOf(destOnKmd, 'KMD');
    // srchash | height | "DVGTEST\0" | MoM | MoMdepth
    expect(destPayload.data.length).toBe(32 + 4 + AC.length + 1 + 36);
    expect(destPayload.decoded).toMatchObject({ srcHash: acNota.hash, height: acNota.height, symbol: AC });
    expect(destPayload.decoded?.destTxid).toBeUndefined();
    // MoMdepth = height − prevMoMheight; the first notarisation (mined since) set prevMoMheight to 96.
    const depth = acNota.height - acFirst.height;
    const mom = await ac.call<{ MoM: string }>('calc_MoM', [String(acNota.height), String(depth)]);
    expect(destPayload.decoded?.mom).toBe(mom.MoM);
    expect(destPayload.decoded?.momDepth).toBe(depth);
    const back = await ac.call<RawTx>('getrawtransaction', [acNota.srctxid, 1]);
    expect(payloadOf(back, AC).decoded).toMatchObject({
      srcHash: acNota.hash,
      height: acNota.height,
      destTxid: acNota.desttxid,
      symbol: AC,
    });

    // Mined, the back txs move each chain's notarized* (komodod's komodo_voutupdate, devchain -devnotaries).
    await kmd.call('generate', [1]);
    await ac.call('generate', [1]);
    interface Info {
      notarized: number;
      notarizedhash: string;
      notarizedtxid: string;
    }
    const kmdInfo = await eventually(
      async () => {
        const i = await kmd.call<Info>('getinfo');
        return i.notarized === kmdNota.height ? i : undefined;
      },
      20_000,
      'KMD notarized',
    );
    expect(kmdInfo.notarizedhash).toBe(kmdNota.hash);
    expect(kmdInfo.notarizedtxid).toBe(kmdNota.desttxid);
    const acInfo = await eventually(
      async () => {
        const i = await ac.call<Info>('getinfo');
        return i.notarized === acNota.height ? i : undefined;
      },
      20_000,
      `${AC} notarized`,
    );
    expect(acInfo.notarizedhash).toBe(acNota.hash);
    expect(acInfo.notarizedtxid).toBe(acNota.desttxid);

    // notarizations counts this notary's signature over the assetchain's blocks.
    const mined = await ac.call<{ blockhash: string }>('getrawtransaction', [acNota.srctxid, 1]);
    const minedAt = (await ac.call<{ height: number }>('getblock', [mined.blockhash])).height;
    const counted = await api(port, {
      agent: 'dpow',
      method: 'notarizations',
      symbol: AC,
      height: minedAt,
      numblocks: 1,
    });
    expect(counted.json.notarizations).toEqual([{ notary: 'dev_NN', id: 0, notarizations: 1 }]);
    const fromStart = await api(port, {
      agent: 'dpow',
      method: 'notarizations',
      symbol: AC,
      height: 1,
      numblocks: 200,
    });
    expect(fromStart.json.notarizations).toEqual([{ notary: 'dev_NN', id: 0, notarizations: 2 }]);

    // Secrets never reach the log; SIGTERM ends it cleanly.
    const out = dv.output();
    expect(out).not.toContain(PASSPHRASE);
    expect(out).not.toContain(encodeWif(key.privateKey, KMD_PREFIXES.wif, true));
    expect(out).not.toContain(toHex(key.privateKey));
    expect(await dv.kill('SIGTERM')).toBe(0);
  });
});

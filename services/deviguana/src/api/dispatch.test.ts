import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog, FakeDaemons, fakeState, TEST_PUBKEY } from '../testkit.js';
import { dispatchJson, replyTag } from './dispatch.js';

const local = { remote: false };
const remote = { remote: true };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup() {
  const daemons = new FakeDaemons();
  const { log, text } = captureLog();
  const state = fakeState(daemons, log);
  const call = async (body: unknown, ctx = local) => JSON.parse(await dispatchJson(state, body, ctx));
  return { daemons, state, call, logText: text };
}

/** A conf file the way addcoin's path/conf name it: "/" + path + "/" + conf. */
function conf(symbol: string, port: number) {
  const dir = mkdtempSync(join(tmpdir(), 'dvg-conf-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, `${symbol}.conf`),
    `# comment rpcuser=no\nrpcuser=u${symbol}\nrpcpassword=p${symbol}\nrpcport=${port}\n`,
  );
  return { path: dir.slice(1), conf: `${symbol}.conf` };
}

describe('dispatch: Iguana’s generic replies', () => {
  it('no method, login/logout, no agent, unknown method; tags on objects only', async () => {
    const { call } = setup();
    const noMethod = await call({ agent: 'iguana' });
    expect(noMethod.error).toBe('no method');
    expect(noMethod.tag).toMatch(/^\d+$/);
    expect((await call({ agent: 'SuperNET', method: 'login' })).error).toBe(
      'login and logout are internal only functions',
    );
    expect((await call({ method: 'getbalance' })).error).toBe('need both agent and method');
    expect(await call({ agent: 'iguana', method: 'frobnicate' })).toMatchObject({
      error: 'unsupported call',
      agent: 'iguana',
      method: 'frobnicate',
    });
    const arr = await call([{ agent: 'SuperNET', method: 'myipaddr', ipaddr: '1.2.3.4' }, { agent: 'x' }]);
    expect(Array.isArray(arr)).toBe(true);
    expect(arr[0]).toMatchObject({ result: '1.2.3.4' });
    expect(arr[1]).toMatchObject({ error: 'no method' });
  });

  it('echoes a non-zero request tag, else a random uint64 as a decimal string', () => {
    expect(replyTag('12345')).toBe('12345');
    expect(replyTag(77)).toBe('77');
    expect(replyTag('0', () => Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]))).toBe('1');
    expect(replyTag(undefined, () => Buffer.alloc(8, 0xff))).toBe('18446744073709551615');
  });

  it('myipaddr keeps the first valid IPv4; addnotary always succeeds', async () => {
    const { call, state } = setup();
    expect((await call({ agent: 'SuperNET', method: 'myipaddr', ipaddr: 'nonsense' })).result).toBe('');
    expect((await call({ agent: 'SuperNET', method: 'myipaddr', ipaddr: '5.6.7.8' })).result).toBe('5.6.7.8');
    expect((await call({ agent: 'SuperNET', method: 'myipaddr', ipaddr: '9.9.9.9' })).result).toBe('5.6.7.8');
    expect((await call({ agent: 'iguana', method: 'addnotary', ipaddr: '1.1.1.1' })).result).toBe(
      'notary node added',
    );
    expect(state.notaryPeers).toEqual(['1.1.1.1']);
    expect(await call({ agent: 'dpow', method: 'ipaddrs' })).toEqual(['1.1.1.1']);
  });

  it('help lists the API with url and curl forms', async () => {
    const { call } = setup();
    const r = await call({ agent: 'SuperNET', method: 'help' });
    const addcoin = r.result.API.find((i: { method: string }) => i.method === 'addcoin');
    expect(addcoin).toEqual({
      agent: 'iguana',
      method: 'addcoin',
      url: 'http://127.0.0.1:7776/api/iguana/addcoin?newcoin={string}',
      curl: 'curl --url "http://127.0.0.1:7776" --data "{\\"agent\\":\\"iguana\\",\\"method\\":\\"addcoin\\",\\"newcoin\\":\\"{string}\\"}"',
      fields: [{ newcoin: 'string' }],
    });
  });

  it('SuperNET stop: refused to remote callers', async () => {
    const { call, state } = setup();
    let stopped = false;
    state.requestStop = () => {
      stopped = true;
    };
    expect((await call({ agent: 'SuperNET', method: 'stop' }, remote)).error).toBe(
      'cant do a remote stop of this node',
    );
    expect((await call({ agent: 'SuperNET', method: 'stop' })).result).toBe('exit started');
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(true);
  });
});

describe('addcoin', () => {
  it('needs newcoin; adds once; reads the conf by path; the first coin becomes the default', async () => {
    const { call, state } = setup();
    expect((await call({ agent: 'iguana', method: 'addcoin' })).error).toBe('addcoin needs newcoin');
    const c = conf('KMD', 17771);
    const body = { agent: 'iguana', method: 'addcoin', newcoin: 'KMD', ...c, sapling: 1, zcash: 1 };
    expect((await call(body)).result).toBe('coin added');
    expect((await call(body)).result).toBe('coin already there');
    const kmd = state.coins.get('KMD');
    expect(kmd?.endpoint).toEqual({ symbol: 'KMD', port: 17771, userpass: 'uKMD:pKMD' });
    expect(kmd?.sapling).toBe(true);
    expect(state.rpcsymbol).toBe('KMD');
    expect(
      (await call({ agent: 'iguana', method: 'addcoin', newcoin: 'LTC', ...conf('LTC', 19332) })).result,
    ).toBe('coin added');
    expect(state.rpcsymbol).toBe('KMD');
    expect(state.coins.get('LTC')?.prefixes.pubkeyHash).toBe(48);
    expect((await call({ agent: 'iguana', method: 'addcoin', newcoin: 'BAD SYMBOL!' })).error).toBe(
      'error adding coin',
    );
  });

  it('a conf that cannot be opened is logged, the coin is still added (Iguana checks nothing then)', async () => {
    const { call, logText, state } = setup();
    expect(
      (
        await call({
          agent: 'iguana',
          method: 'addcoin',
          newcoin: 'XYZ',
          conf: 'x.conf',
          path: 'nope',
          rpc: 999,
        })
      ).result,
    ).toBe('coin added');
    expect(logText()).toContain('extract_userpass cant open.(/nope/x.conf)');
    expect(state.coins.get('XYZ')?.endpoint.port).toBe(999);
  });
});

describe('walletpassphrase', () => {
  const PASS = 'myverysecretandstrongpassphrase_noneabletobrute';

  it('errors: no coin yet, remote, timeout, password', async () => {
    const { call, daemons } = setup();
    expect((await call({ method: 'walletpassphrase', params: [PASS, 9999999] })).error).toBe(
      'null return from iguana_bitcoinRPC',
    );
    expect(
      (await call({ agent: 'bitcoinrpc', method: 'walletpassphrase', password: PASS, timeout: 5 })).error,
    ).toBe('bitcoinrpc needs coin that is active');
    await call({ agent: 'iguana', method: 'addcoin', newcoin: 'KMD', ...conf('KMD', 17771) });
    daemons.on('KMD', 'importprivkey', () => 'RVNKRr2uxPMxJeDwFnTKjdtiLtcs7UzCZn');
    // A remote caller does not even reach the bitcoin-RPC table in notary mode.
    expect((await call({ method: 'walletpassphrase', params: [PASS, 9999999] }, remote)).error).toBe(
      'need both agent and method',
    );
    expect(
      (await call({ agent: 'bitcoinrpc', method: 'walletpassphrase', password: PASS, timeout: 5 }, remote))
        .error,
    ).toBe('no remote');
    expect((await call({ method: 'walletpassphrase', params: [PASS, 0] })).error).toBe(
      'timeout must be positive',
    );
    expect((await call({ method: 'walletpassphrase', params: ['', 10] })).error).toBe(
      'must have password field',
    );
    expect(daemons.calls).toHaveLength(0);
  });

  it('derives Iguana’s key, imports its WIF into the bound coin and answers activehandle', async () => {
    const { call, daemons, logText } = setup();
    await call({ agent: 'iguana', method: 'addcoin', newcoin: 'KMD', ...conf('KMD', 17771) });
    await call({ agent: 'iguana', method: 'addcoin', newcoin: 'LTC', ...conf('LTC', 19332) });
    daemons.on('KMD', 'importprivkey', () => 'RVNKRr2uxPMxJeDwFnTKjdtiLtcs7UzCZn');
    const r = await call({ method: 'walletpassphrase', params: [PASS, 9999999] });
    // docs/reference/iguana.md §3.4 test vector.
    expect(r).toMatchObject({
      btcpubkey: TEST_PUBKEY,
      KMD: 'RVNKRr2uxPMxJeDwFnTKjdtiLtcs7UzCZn',
      LTC: 'LfK5cYTTSDoSVSYtxkTVv8dGnqXYZRsn86',
      result: 'success',
      handle: '',
      status: 'unlocked',
    });
    expect(r.duration).toBeGreaterThan(9999990);
    expect(daemons.calls).toEqual([
      {
        symbol: 'KMD',
        method: 'importprivkey',
        params: ['UtrRXqvRFUAtCrCTRAHPH6yroQKUrrTJRmxt2h5U4QTUN1jCxTAh', '', false],
      },
    ]);
    const logs = logText();
    expect(logs).not.toContain(PASS);
    expect(logs).not.toContain('UtrRXqvRFUAtCrCTRAHPH6yroQKUrrTJRmxt2h5U4QTUN1jCxTAh');
    expect(logs).not.toContain('907ece717a8f94e07de7bf6f8b3e9f91abb8858ebf831072cdbb9016ef53bc5d');
  });
});

describe('dpow: checks in Iguana’s order', () => {
  it('walks every error before success', async () => {
    const { call, daemons, state } = setup();
    const dpow = (extra: object) => call({ agent: 'iguana', method: 'dpow', ...extra });
    expect((await dpow({ pubkey: TEST_PUBKEY })).error).toBe('must be running as notary node');
    await call({ agent: 'SuperNET', method: 'myipaddr', ipaddr: '10.0.0.1' });
    expect((await dpow({ pubkey: 'abc' })).error).toBe('need 33 byte pubkey');
    expect((await dpow({})).error).toBe('need 33 byte pubkey');
    expect((await dpow({ pubkey: TEST_PUBKEY })).error).toBe('cant dPoW an inactive coin');
    await call({ agent: 'iguana', method: 'addcoin', newcoin: 'KMD', ...conf('KMD', 17771) });
    expect((await dpow({ pubkey: TEST_PUBKEY })).error).toBe('cant dPoW KMD without LTC');
    await call({ agent: 'iguana', method: 'addcoin', newcoin: 'DOC', zcash: 1, ...conf('DOC', 17772) });
    expect((await dpow({ symbol: 'DOC', dest: 'BTC', pubkey: TEST_PUBKEY })).error).toBe(
      'cant dPoW without KMD (dest)',
    );
    await call({ agent: 'iguana', method: 'addcoin', newcoin: 'LTC', ...conf('LTC', 19332) });
    let mine = false;
    for (const coin of ['KMD', 'LTC', 'DOC']) {
      daemons.on(coin, 'validateaddress', ([address]) => ({ isvalid: true, address, ismine: mine }));
      daemons.on(coin, 'getinfo', () => ({ blocks: 5, CCid: coin === 'DOC' ? 2 : 0 }));
    }
    expect((await dpow({ pubkey: TEST_PUBKEY })).error).toBe(
      'source address or dest address has no privkey, importprivkey',
    );
    mine = true;
    // 02 + x not on the curve: the address check passes first (the daemons say ismine), then this.
    const offCurve = `02${'00'.repeat(31)}07`;
    expect((await dpow({ pubkey: offCurve })).error).toBe('illegal pubkey');
    expect((await dpow({ pubkey: TEST_PUBKEY })).result).toBe('success');
    expect((await dpow({ pubkey: TEST_PUBKEY })).error).toBe('cant dPoW same coin again');
    expect((await dpow({ symbol: 'DOC', pubkey: TEST_PUBKEY, freq: '1' })).result).toBe('success');
    await state.engine.stop();
    const kmd = state.engine.entries.get('KMD');
    const doc = state.engine.entries.get('DOC');
    expect([kmd?.dest, kmd?.freq, kmd?.srcconfirms, kmd?.minsigs]).toEqual(['LTC', 10, 10, 1]);
    expect([doc?.dest, doc?.freq, doc?.srcconfirms, doc?.minsigs, doc?.ccid]).toEqual(['KMD', 2, 5, 1, 2]);
    // LTC answered validateaddress for KMD's dest address (L…), DOC's dest is KMD (R…).
    const ltcCheck = daemons.calls.find((c) => c.symbol === 'LTC' && c.method === 'validateaddress');
    expect(String(ltcCheck?.params[0])).toMatch(/^L/);
  });

  it('asks getaddressinfo when validateaddress has no ismine (Bitcoin Core ≥ 0.18)', async () => {
    const { call, daemons } = setup();
    await call({ agent: 'SuperNET', method: 'myipaddr', ipaddr: '10.0.0.1' });
    await call({ agent: 'iguana', method: 'addcoin', newcoin: 'KMD', ...conf('KMD', 17771) });
    await call({ agent: 'iguana', method: 'addcoin', newcoin: 'LTC', ...conf('LTC', 19332) });
    daemons.on('KMD', 'validateaddress', () => ({ isvalid: true, ismine: true }));
    daemons.on('KMD', 'getinfo', () => ({}));
    daemons.on('LTC', 'validateaddress', () => ({ isvalid: true }));
    daemons.on('LTC', 'getaddressinfo', () => ({ ismine: true }));
    expect((await call({ agent: 'iguana', method: 'dpow', symbol: 'KMD', pubkey: TEST_PUBKEY })).result).toBe(
      'success',
    );
  });
});

describe('splitfunds', () => {
  it('no remote, locked wallet, no active coin, no funds', async () => {
    const { call, daemons } = setup();
    const body = {
      coin: 'KMD',
      agent: 'iguana',
      method: 'splitfunds',
      satoshis: '10000',
      sendflag: 1,
      duplicates: 50,
    };
    expect((await call(body, remote)).error).toBe('no remote');
    expect((await call(body)).error).toBe('need to unlock wallet');
    await call({ agent: 'iguana', method: 'addcoin', newcoin: 'KMD', zcash: 1, ...conf('KMD', 17771) });
    daemons.on('KMD', 'importprivkey', () => '');
    await call({ method: 'walletpassphrase', params: ['pass', 100] });
    expect((await call({ ...body, coin: 'NOPE' })).error).toBe('need active coin');
    daemons.on('KMD', 'listunspent', () => []);
    expect((await call(body)).error).toBe('couldnt create duplicates tx');
  });

  it('signs a version 1 tx of P2PK duplicates plus P2PKH change and sends it', async () => {
    const { call, daemons } = setup();
    await call({ agent: 'iguana', method: 'addcoin', newcoin: 'KMD', zcash: 1, ...conf('KMD', 17771) });
    daemons.on('KMD', 'importprivkey', () => '');
    await call({
      method: 'walletpassphrase',
      params: ['myverysecretandstrongpassphrase_noneabletobrute', 100],
    });
    daemons.on('KMD', 'listunspent', () => [
      {
        txid: 'aa'.repeat(32),
        vout: 0,
        address: 'RVNKRr2uxPMxJeDwFnTKjdtiLtcs7UzCZn',
        amount: 1,
        scriptPubKey: `21${TEST_PUBKEY}ac`,
        spendable: true,
      },
    ]);
    let sent = '';
    daemons.on('KMD', 'sendrawtransaction', ([hex]) => {
      sent = String(hex);
      return 'txid';
    });
    const r = await call({
      coin: 'KMD',
      agent: 'iguana',
      method: 'splitfunds',
      satoshis: '10000',
      sendflag: 1,
      duplicates: 3,
    });
    expect(r.completed).toBe(true);
    expect(r.result).toBe(sent);
    expect(r.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.startsWith('01000000')).toBe(true);
    // 3 × P2PK 10000 sat, then change 1 − 0.0003 − fee (10000 + 3·10000·2) to the P2PKH of the key.
    expect(sent).toContain(`1027000000000000 23 21${TEST_PUBKEY}ac`.replace(/ /g, ''));
    const change = (100_000_000n - 30_000n - 70_000n).toString(16).padStart(16, '0');
    const changeLe = change.match(/../g)?.reverse().join('');
    expect(sent).toContain(`${changeLe}1976a914dc5abb3c56eba571a0910fe18fa8f205d29a06e388ac`);
  });
});

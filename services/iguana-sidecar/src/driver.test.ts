import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { parseConf } from '@nn/komodo-params';
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventually,
  type Harness,
  harness,
  TEST_PASSPHRASE,
  TEST_PUBKEY,
  VIEWER,
} from './testing/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const ready = (x: Harness) =>
  eventually(() => (x.sidecar?.driver.ready().ready ? true : undefined), 10_000, 'sequence done');
const state = (x: Harness) => {
  const d = x.sidecar?.driver;
  if (!d) throw new Error('no sidecar');
  return d.iguanaState();
};

const SEQUENCE = [
  'myipaddr 203.0.113.7',
  'addnotary 10.0.0.1',
  'addnotary 10.0.0.2',
  'addcoin KMD',
  'walletpassphrase',
  'addcoin LTC',
  'addcoin IGSTEST1',
  'addcoin IGSTEST2',
  'dpow KMD',
  'dpow IGSTEST1',
  'dpow IGSTEST2',
];

describe('start-up sequence', () => {
  it("runs m_notary_main's order against a fresh Iguana, releasing old locks before walletpassphrase", async () => {
    h = await harness();
    h.chains.KMD?.locked.push({ txid: 'aa'.repeat(32), vout: 1 });
    await h.start();
    await ready(h);
    expect(h.iguana.sequence()).toEqual(['help', ...SEQUENCE]);
    expect(h.chains.KMD?.locked).toEqual([]);
    // Every daemon is asked (the start scripts unlock KMD's wallet; the sidecar does it on each coin),
    // after addcoin KMD showed a fresh Iguana and before walletpassphrase.
    const ev = h.events;
    const unlocks = ['KMD', 'LTC', 'IGSTEST1', 'IGSTEST2'].map((c) => ev.indexOf(`${c}:listlockunspent`));
    for (const i of unlocks) {
      expect(i).toBeGreaterThan(ev.indexOf('iguana:addcoin KMD'));
      expect(i).toBeLessThan(ev.indexOf('iguana:walletpassphrase'));
    }
    expect(ev.indexOf('KMD:lockunspent')).toBeLessThan(ev.indexOf('iguana:walletpassphrase'));
    expect(h.chains.LTC?.methods).toEqual(['listlockunspent']);
    expect(h.iguana.dpowCoins()).toEqual(['KMD', 'IGSTEST1', 'IGSTEST2']);
  });

  it('adds the network’s own addnotary peers, in order, instead of the elected seeds when the config lists them', async () => {
    h = await harness({ raw: { addnotary: ['198.51.100.9', '198.51.100.3'] } });
    await h.start();
    await ready(h);
    expect(h.iguana.sequence().slice(1, 5)).toEqual([
      'myipaddr 203.0.113.7',
      'addnotary 198.51.100.9',
      'addnotary 198.51.100.3',
      'addcoin KMD',
    ]);
  });

  it('sends the scripts’ bodies: dpow with the notary pubkey, walletpassphrase as bitcoin-RPC params', async () => {
    h = await harness({ raw: {} });
    await h.start();
    await ready(h);
    const dpow = h.iguana.calls.find((c) => c.method === 'dpow' && c.subject === 'KMD');
    expect(dpow?.body).toEqual({ agent: 'iguana', method: 'dpow', symbol: 'KMD', pubkey: TEST_PUBKEY });
    const wp = h.iguana.calls.find((c) => c.method === 'walletpassphrase');
    expect(wp?.body).toEqual({ method: 'walletpassphrase', params: [TEST_PASSPHRASE, 9999999] });
  });

  it('writes each conf where addcoin tells Iguana to read it, with the bridge port, mode 600', async () => {
    h = await harness();
    await h.start();
    await ready(h);
    for (const call of h.iguana.calls.filter((c) => c.method === 'addcoin')) {
      const path = `/${String(call.body.path)}/${String(call.body.conf)}`;
      expect(path.startsWith(h.home)).toBe(true);
      const conf = parseConf(readFileSync(path, 'utf8'));
      expect(conf.get('rpcport')).toEqual([String(call.body.rpc ?? h.cfg.coins[1]?.rpcPort)]);
      expect(conf.get('rpcuser')?.[0]).toMatch(/^bridge[0-9a-f]{8}$/);
      expect(statSync(path).mode & 0o777).toBe(0o600);
    }
    // The fake Iguana reaches the KMD fake sidecar through the bridge with the conf's credentials.
    h.chains.KMD?.locked.push({ txid: 'bb'.repeat(32), vout: 0 });
    expect(await h.iguana.daemonCall('KMD', 'getinfo', [])).toMatchObject({ blocks: 100 });
    // ...and only with what Iguana calls: a method off the bridge's allowlist never reaches the sidecar.
    await expect(h.iguana.daemonCall('KMD', 'listlockunspent', [])).rejects.toThrow(
      /not allowed through the KMD bridge/,
    );
    expect(h.chains.KMD?.methods.filter((m) => m === 'listlockunspent')).toHaveLength(1);
  });

  it('stops before walletpassphrase when the elected file is broken, and says why', async () => {
    h = await harness();
    await h.start();
    await ready(h);
    writeFileSync(h.cfg.electedFile, '{"port": 1}');
    const mark = h.iguana.calls.length;
    await h.iguana.restart();
    const reason = await eventually(() => {
      const r = h?.sidecar?.driver.ready();
      return r && !r.ready && r.reason?.includes('elected file') ? r.reason : undefined;
    });
    expect(reason).toMatch(/start-up sequence not done: elected file/);
    expect(h.iguana.sequence().slice(mark)).not.toContain('walletpassphrase');
    expect(h.iguana.sequence().slice(mark)).toContain('myipaddr 203.0.113.7');
  });
});

describe('Iguana restarts', () => {
  it('notices a restart by addcoin KMD, releases the locked UTXOs first, then registers everything again', async () => {
    h = await harness();
    await h.start();
    await ready(h);
    h.chains.KMD?.locked.push({ txid: 'cc'.repeat(32), vout: 2 }, { txid: 'dd'.repeat(32), vout: 0 });
    const mark = h.events.length;
    await h.iguana.restart();
    await eventually(() =>
      state(h as Harness).restartsDetected === 1 && h?.sidecar?.driver.ready().ready ? true : undefined,
    );
    const after = h.events.slice(mark);
    const iguanaCalls = after.filter((e) => e.startsWith('iguana:') && e !== 'iguana:help');
    expect(iguanaCalls[0]).toBe('iguana:addcoin KMD');
    expect(iguanaCalls.slice(1)).toEqual(SEQUENCE.map((s) => `iguana:${s}`));
    expect(after.indexOf('KMD:lockunspent')).toBeGreaterThan(0);
    expect(after.indexOf('KMD:lockunspent')).toBeLessThan(after.indexOf('iguana:myipaddr 203.0.113.7'));
    expect(h.chains.KMD?.locked).toEqual([]);
    expect(h.iguana.registered().sort()).toEqual(['IGSTEST1', 'IGSTEST2', 'KMD', 'LTC']);
    expect(h.iguana.dpowCoins()).toEqual(['KMD', 'IGSTEST1', 'IGSTEST2']);
  });

  it('when the API goes away and comes back fresh: not ready meanwhile, then unlock and re-register', async () => {
    h = await harness();
    await h.start();
    await ready(h);
    await h.iguana.stop();
    await eventually(() => (state(h as Harness).up === false ? true : undefined));
    expect(h.sidecar?.driver.ready()).toEqual({ ready: false, reason: 'iguana unreachable' });
    h.chains.IGSTEST1?.locked.push({ txid: 'ee'.repeat(32), vout: 3 });
    await h.iguana.restart();
    await ready(h);
    expect(state(h).restartsDetected).toBe(1);
    expect(h.chains.IGSTEST1?.locked).toEqual([]);
    expect(h.iguana.dpowCoins()).toEqual(['KMD', 'IGSTEST1', 'IGSTEST2']);
  });

  it('a restarted sidecar facing an Iguana that kept its state leaves its live locks alone', async () => {
    h = await harness();
    await h.start();
    await ready(h);
    await h.sidecar?.close();
    h.chains.KMD?.locked.push({ txid: 'ff'.repeat(32), vout: 1 });
    const mark = h.iguana.calls.length;
    await h.start();
    await ready(h);
    expect(h.chains.KMD?.locked).toHaveLength(1);
    expect(h.chains.KMD?.methods).not.toContain('lockunspent');
    expect(
      h.iguana.calls.slice(mark).find((c) => c.method === 'addcoin' && c.subject === 'KMD'),
    ).toBeDefined();
    expect(state(h).restartsDetected).toBe(0);
  });

  it('retries a failed dpow every round until Iguana accepts it', async () => {
    h = await harness();
    h.iguana.dpowErrors.set('IGSTEST2', 'source address or dest address has no privkey, importprivkey');
    await h.start();
    await ready(h);
    const coins = await h.sidecar?.driver.coinStatuses();
    expect(coins?.find((c) => c.name === 'IGSTEST2')).toMatchObject({
      registered: true,
      dpowActive: false,
      lastError: 'dpow: source address or dest address has no privkey, importprivkey',
    });
    h.iguana.dpowErrors.clear();
    await eventually(() => (h?.iguana.dpowCoins().includes('IGSTEST2') ? true : undefined));
    const again = await h.sidecar?.driver.coinStatuses();
    expect(again?.find((c) => c.name === 'IGSTEST2')).toMatchObject({ dpowActive: true, lastError: null });
  });
});

describe('the passphrase', () => {
  it('never reaches logs, status or errors, even when Iguana echoes it back', async () => {
    h = await harness({ level: 'trace' });
    h.iguana.walletpassphraseError = `cant unlock with (${TEST_PASSPHRASE})`;
    await h.start();
    const reason = await eventually(() => {
      const r = h?.sidecar?.driver.ready();
      return r?.reason?.includes('walletpassphrase') ? r.reason : undefined;
    });
    expect(reason).toBe('start-up sequence not done: walletpassphrase: cant unlock with ([redacted])');
    const res = await fetch(`${h.url}/v1/status`, { headers: { authorization: `Bearer ${VIEWER}` } });
    const statusText = await res.text();
    const readyz = await (await fetch(`${h.url}/readyz`)).text();
    h.iguana.walletpassphraseError = undefined;
    await ready(h);
    const logs = h.capture.text();
    expect(logs).toContain('walletpassphrase');
    expect(logs.length).toBeGreaterThan(1000);
    for (const text of [logs, statusText, readyz]) expect(text).not.toContain(TEST_PASSPHRASE);
  });
});

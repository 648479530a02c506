import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KomodoArgsError } from '@nn/komodo-params';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DevchainConfigError, resolveDevchainConfig } from './resolve-config.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'devchain-as-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const as = (program: string, ...argv: string[]) => resolveDevchainConfig(argv, home, program).cfg;

// PIRATE's line on the KMDCL network (kmdclassic/dPoW d7055a8 iguana/assetchains.old) and KMD's (notary-facts §1).
const PIRATE = [
  '-ac_name=PIRATE',
  '-ac_supply=0',
  '-ac_reward=25600000000',
  '-ac_halving=77777',
  '-ac_private=1',
];
const PUBKEY = '02'.padEnd(66, 'a');
const KMD_NOTARY_LINE = [
  '-gen',
  '-genproclimit=1',
  `-pubkey=${PUBKEY}`,
  '-minrelaytxfee=0.000035',
  '-opretmintxfee=0.004',
  '-notary=.litecoin/litecoin.conf',
];

describe('devchain under the real daemons’ names', () => {
  it('kmdclassicd: ~/.kmdclassic, kmdclassic.conf, KMD ports, -notary read relative to $HOME', () => {
    const cfg = as('/usr/local/bin/kmdclassicd', ...KMD_NOTARY_LINE);
    expect(cfg).toMatchObject({
      daemon: 'kmdclassicd',
      flavour: 'komodo',
      name: 'KMD',
      p2pPort: 7770,
      rpcPort: 7771,
    });
    expect(cfg.dataDir).toBe(join(home, '.kmdclassic'));
    expect(cfg.confPath).toBe(join(home, '.kmdclassic', 'kmdclassic.conf'));
    expect(cfg.dest).toEqual({ kind: 'btc', confPath: join(home, '.litecoin', 'litecoin.conf') });
    expect(cfg.pubkey).toBe(PUBKEY);
    expect(cfg.era).toBeUndefined();
    expect(readdirSync(home)).toEqual([]);
  });

  it('kmdclassicd -ac_name=PIRATE: ~/.kmdclassic/PIRATE/PIRATE.conf, the published ports, parent kmdclassic.conf', () => {
    // PIRATE 45452/45453: kmdclassic/dPoW iguana/coins/pirate_7776.
    const cfg = as('kmdclassicd', ...PIRATE, '-addnode=127.0.0.2');
    expect(cfg).toMatchObject({ name: 'PIRATE', isAssetchain: true, p2pPort: 45452, rpcPort: 45453 });
    expect(cfg.dataDir).toBe(join(home, '.kmdclassic', 'PIRATE'));
    expect(cfg.confPath).toBe(join(home, '.kmdclassic', 'PIRATE', 'PIRATE.conf'));
    expect(cfg.dest).toEqual({ kind: 'kmd', confPath: join(home, '.kmdclassic', 'kmdclassic.conf') });
    expect(cfg.p2p.addnodes).toEqual(['127.0.0.2']);
  });

  it('kmdclassicd -ac_name=CCL: the published CCL ports in ~/.kmdclassic/CCL', () => {
    const cfg = as('kmdclassicd', '-ac_name=CCL', '-ac_supply=200000000', '-ac_end=1', '-ac_cc=2');
    expect(cfg).toMatchObject({ p2pPort: 20848, rpcPort: 20849 });
    expect(cfg.confPath).toBe(join(home, '.kmdclassic', 'CCL', 'CCL.conf'));
  });

  it('komodod stays ~/.komodo; -datadir and a relative -conf are honoured', () => {
    expect(as('komodod').dataDir).toBe(join(home, '.komodo'));
    const cfg = as('kmdclassicd', '-datadir=/data/.kmdclassic', '-conf=kmdclassic.conf');
    expect(cfg.dataDir).toBe('/data/.kmdclassic');
    expect(cfg.confPath).toBe('/data/.kmdclassic/kmdclassic.conf');
  });

  it('litecoind and bitcoind need no -devflavour, and refuse komodod flags', () => {
    mkdirSync(join(home, '.litecoin'));
    writeFileSync(join(home, '.litecoin', 'litecoin.conf'), 'rpcuser=u\nrpcpassword=p\n');
    const ltc = as('/usr/local/bin/litecoind');
    expect(ltc).toMatchObject({
      daemon: 'litecoind',
      flavour: 'bitcoin',
      name: 'LTC',
      p2pPort: 9333,
      rpcPort: 9332,
    });
    expect(ltc.confPath).toBe(join(home, '.litecoin', 'litecoin.conf'));
    expect(as('bitcoind')).toMatchObject({ name: 'BTC', rpcPort: 8332 });
    expect(() => as('litecoind', `-pubkey=${PUBKEY}`)).toThrow(KomodoArgsError);
    expect(() => as('litecoin-cli', '-devversion=0.9.2')).toThrow(/litecoind does not take it/);
  });

  it('-devas names the daemon for tests; a -devflavour that disagrees with the name is refused', () => {
    expect(as('devchain.mjs', '-devas=kmdclassicd').dataDir).toBe(join(home, '.kmdclassic'));
    expect(() => as('devchain.mjs', '-devas=kmdclassic-cli')).toThrow(KomodoArgsError);
    expect(() => as('litecoind', '-devflavour=komodo')).toThrow(DevchainConfigError);
    expect(as('devchain.mjs', '-devflavour=litecoin').daemon).toBe('litecoind');
    expect(as('devchain.mjs').daemon).toBe('komodod');
  });

  it('the image’s DEVCHAIN_KOMODOD_VERSION and DEVCHAIN_SUNSET: komodod only, the flags win', () => {
    const env = { DEVCHAIN_KOMODOD_VERSION: '0.9.2-2', DEVCHAIN_SUNSET: '1' };
    const kmd = resolveDevchainConfig([], home, 'komodod', env).cfg;
    expect(kmd.komodoVersion).toBe('0.9.2-2');
    expect(kmd.era?.sunsetAt).toBe(1);
    expect(resolveDevchainConfig(['-devversion=0.8.2'], home, 'komodod', env).cfg.era).toBeUndefined();
    expect(resolveDevchainConfig(['-devsunset=50'], home, 'komodod', env).cfg.era?.sunsetAt).toBe(50);
    expect(resolveDevchainConfig([], home, 'kmdclassicd', env).cfg.era).toBeUndefined();
    expect(resolveDevchainConfig([], home, 'litecoind', env).cfg.daemon).toBe('litecoind');
    expect(() => resolveDevchainConfig([], home, 'komodod', { DEVCHAIN_KOMODOD_VERSION: '1.0' })).toThrow(
      /^DEVCHAIN_KOMODOD_VERSION: must be one of/,
    );
  });

  it('-devversion is komodod’s; -devsunset needs a version that ends dPoW', () => {
    expect(() => as('kmdclassicd', '-devversion=0.9.2')).toThrow(/kmdclassicd has no dPoW sunset/);
    expect(() => as('komodod', '-devsunset=20')).toThrow(/needs -devversion=0.9.2/);
    expect(() => as('komodod', '-devversion=0.9.3')).toThrow(/must be one of 0.8.2, 0.9.2, 0.9.2-1, 0.9.2-2/);
    expect(() => as('komodod', '-devversion=0.9.2', '-devsunset=12a')).toThrow(/block height or a unix time/);
  });
});

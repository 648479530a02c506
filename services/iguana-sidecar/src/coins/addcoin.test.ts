import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, sha256d, toHex } from '@nn/chain-crypto';
import { assetchainEntrySchema } from '@nn/komodo-params';
import { describe, expect, it } from 'vitest';
import { coinSchema } from '../config.js';
import { confLocation } from './addcoin.js';
import { KOMODO_GENESIS_BLOCK, KOMODO_GENESIS_HASH } from './genesis.js';
import { resolveCoin } from './resolve.js';

// The published addcoin scripts (fixtures/SOURCES.md names each file's repository, path and commit):
// a `curl --data "<json>"` line with the JSON's quotes escaped and ${HOME#"/"} for the home folder.
const HOME = '/home/nn';
/** The literal `${HOME}` of assetchains.json and `${HOME#"/"}` of the coin files (not template strings). */
const HOME_VAR = ['$', '{HOME}'].join('');
const HOME_NO_SLASH = ['$', '{HOME#"/"}'].join('');
function publishedBody(file: string): Record<string, unknown> {
  const text = readFileSync(join(import.meta.dirname, 'fixtures', file), 'utf8');
  const m = /--data "(.*)"\s*$/s.exec(text.trim());
  if (!m?.[1]) throw new Error(`no --data in ${file}`);
  const json = m[1].replaceAll('\\"', '"').replaceAll(HOME_NO_SLASH, HOME.slice(1));
  return JSON.parse(json) as Record<string, unknown>;
}

// Season 8 assetchains.json entries (test/fixtures/assetchains.s8.json, from KomodoPlatform/dPoW
// iguana/assetchains.json); addnode lists left out (they do not change the magic).
const S8 = {
  CLC: {
    ac_name: 'CLC',
    ac_supply: '99000000',
    ac_reward: '50000000',
    ac_perc: '100000000',
    ac_founders: '1',
    ac_cc: '45',
    ac_public: '1',
    ac_snapshot: '1440',
    ac_pubkey: '02df9bda7bfe2bcaa938b29a399fb0ba58cfb6cc3ddc0001062a600f60a8237ad9',
    ac_adaptivepow: '6',
  },
  RAPH: { ac_name: 'RAPH', ac_supply: '999999999', ac_end: '1', ac_public: '1', ac_staked: '50' },
  GLEEC_OLD: {
    ac_name: 'GLEEC',
    ac_supply: '210000000',
    ac_public: '1',
    ac_staked: '100',
    datadir: `${HOME_VAR}/.komodo/GLEEC_OLD`,
  },
} as const;

const upstream = { upstream: 'http://chain:8080', tokenFile: '/run/secrets/t' };
const resolved = (coin: unknown) => resolveCoin(coinSchema.parse(coin), HOME);
/** Same keys, same order, same values: the JSON text must be identical. */
const sameJson = (a: unknown, b: unknown) => expect(JSON.stringify(a)).toBe(JSON.stringify(b));

describe('addcoin bodies match the published coin files', () => {
  it('KMD = dPoW iguana/coins/kmd_7778', () => {
    sameJson(resolved({ kind: 'kmd', ...upstream }).addcoin, publishedBody('kmd_7778'));
  });

  it('LTC = dPoW iguana/coins/ltc_7776', () => {
    sameJson(resolved({ kind: 'ltc', ...upstream }).addcoin, publishedBody('ltc_7776'));
  });

  it('BTC = SuperNET iguana/coins/btc_7776 plus the conf and path the LTC file shows', () => {
    const body = resolved({ kind: 'btc', ...upstream }).addcoin;
    expect(body).toMatchObject({ conf: 'bitcoin.conf', path: 'home/nn/.bitcoin' });
    const { conf: _c, path: _p, ...rest } = body;
    sameJson(rest, publishedBody('btc_7776'));
  });

  it.each([
    ['CLC', S8.CLC, 'clc_7776', {}],
    ['RAPH', S8.RAPH, 'raph_7776', {}],
    // Hand-edited seeds in the published files; the body takes them from the coin's config.
    [
      'GLEEC_OLD (ac_name GLEEC in datadir GLEEC_OLD)',
      S8.GLEEC_OLD,
      'gleecold_7776',
      { seedipaddr: '95.217.161.126' },
    ],
  ])('%s', (_label, entry, file, extra) => {
    const coin = resolved({ kind: 'assetchain', assetchain: entry, ...upstream, ...extra });
    sameJson(coin.addcoin, publishedBody(file));
  });

  it('TOKEL (3P, dPoW iguana/coins/tokel_7779) from its parameters', () => {
    // TOKEL is a third-party chain, not in the stored Season-8 assetchains.json: every field but the
    // parameter-derived netmagic/p2p/rpc is compared.
    const published = publishedBody('tokel_7779');
    const coin = resolved({
      kind: 'assetchain',
      assetchain: { ac_name: 'TOKEL', ac_supply: '1' },
      seedipaddr: '135.125.204.169',
      ...upstream,
    });
    const { netmagic: _n, p2p: _p, rpc: _r, ...ours } = coin.addcoin;
    const { netmagic: _n2, p2p: _p2, rpc: _r2, ...theirs } = published;
    sameJson(ours, theirs);
  });

  it('derives the conf path from the datadir and puts the bridge port in rpc', () => {
    const coin = resolved({ kind: 'assetchain', assetchain: S8.GLEEC_OLD, ...upstream, rpcPort: 40001 });
    expect(coin.name).toBe('GLEEC_OLD');
    expect(coin.confPath).toBe('/home/nn/.komodo/GLEEC_OLD/GLEEC.conf');
    expect(coin.rpcPort).toBe(40001);
    expect(coin.addcoin.rpc).toBe(40001);
    expect(coin.addcoin.p2p).toBe(23225);
  });

  it('sets notarypay when the chain pays notaries (komodod: ASSETCHAINS_NOTARY_PAY[0] != 0)', () => {
    const entry = assetchainEntrySchema.parse({ ac_name: 'PAYNN', ac_supply: '10', ac_notarypay: '100' });
    expect(resolved({ kind: 'assetchain', assetchain: entry, ...upstream }).addcoin.notarypay).toBe(1);
    expect(resolved({ kind: 'assetchain', assetchain: S8.RAPH, ...upstream }).addcoin.notarypay).toBe(0);
  });

  it('splits a conf path as Iguana joins it back ("/" + path + "/" + conf)', () => {
    expect(confLocation('/home/nn/.komodo/komodo.conf')).toEqual({
      path: 'home/nn/.komodo',
      conf: 'komodo.conf',
    });
  });

  it('carries the real KMD genesis: genesishash is sha256d of genesisblock (the header with its solution)', () => {
    expect(toHex(sha256d(fromHex(KOMODO_GENESIS_BLOCK)).reverse())).toBe(KOMODO_GENESIS_HASH);
  });
});

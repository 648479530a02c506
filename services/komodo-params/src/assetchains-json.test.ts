import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type AssetchainEntry,
  assetchainEntrySchema,
  assetchainsFileSchema,
  chainIdentity,
  entryToArgs,
} from './assetchains-json.js';
import { PUBLISHED_CHAINS } from './dpow-coins.fixtures.js';
import { assetMagic, netmagicHex } from './magic.js';
import { parseKomodoArgs } from './parse-args.js';
import { p2pPort, rpcPort } from './ports.js';

// The Season 8 main-server assetchains.json: KomodoPlatform/dPoW iguana/assetchains.json at commit
// 2f846c0aa790516c49299914488623ecb31b1d2b (dPoW 0.8.4), copied verbatim to test/fixtures.
const FIXTURE = new URL('../../../test/fixtures/assetchains.s8.json', import.meta.url);
const S8: unknown = JSON.parse(readFileSync(FIXTURE, 'utf8'));
const HOME = '/home/komodian';
/** The literal placeholder dPoW writes in datadir values. */
const HOME_VAR = ['$', '{HOME}'].join('');
const PUBKEY = '02df9bda7bfe2bcaa938b29a399fb0ba58cfb6cc3ddc0001062a600f60a8237ad9';

function issuesOf(value: unknown): string[] {
  const r = assetchainEntrySchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe('the Season 8 assetchains.json fixture', () => {
  const entries = assetchainsFileSchema.parse(S8);

  it('parses and holds the Season 8 chain set, GLEEC twice', () => {
    expect(entries.map((e) => e.ac_name)).toEqual([
      'CCL',
      'CLC',
      'GLEEC',
      'GLEEC',
      'ILN',
      'KOIN',
      'PIRATE',
      'THC',
      'BCZERO',
      'RAPH',
      'MDX',
    ]);
  });

  for (const [index, entry] of entries.entries()) {
    it(`round-trips entry ${index} (${entry.ac_name}) through entryToArgs and parseKomodoArgs`, () => {
      const args = entryToArgs(entry, { home: HOME, pubkey: PUBKEY });
      const parsed = parseKomodoArgs(args);
      expect(parsed.acName).toBe(entry.ac_name);
      expect(parsed.options.pubkey).toBe(PUBKEY);
      // Every key comes back with its value(s), ${HOME} expanded; nothing else appears.
      const back = Object.fromEntries(
        [...parsed.raw].filter(([k]) => k !== 'pubkey').map(([k, v]) => [k, k === 'addnode' ? [...v] : v[0]]),
      );
      const expected = Object.fromEntries(
        Object.entries(entry).map(([k, v]) => [k, typeof v === 'string' ? v.replace(HOME_VAR, HOME) : v]),
      );
      expect(back).toEqual(expected);
    });
  }

  it('gives every entry the ports published for it', () => {
    const published = new Map(PUBLISHED_CHAINS.map((c) => [`${c.params.name}:${c.p2p}`, c]));
    for (const entry of entries) {
      const { chain } = parseKomodoArgs(entryToArgs(entry, { home: HOME }));
      const match = published.get(`${entry.ac_name}:${p2pPort(chain)}`);
      expect(match, entry.ac_name).toBeDefined();
      expect(rpcPort(chain)).toBe(match?.rpc);
      if (match?.netmagic) expect(netmagicHex(assetMagic(chain))).toBe(match.netmagic);
    }
  });

  it('tells the two GLEEC chains apart by datadir, GLEEC_OLD for Iguana', () => {
    const ids = entries.filter((e) => e.ac_name === 'GLEEC').map(chainIdentity);
    expect(ids).toEqual([
      {
        acName: 'GLEEC',
        datadir: `${HOME_VAR}/.komodo/GLEEC`,
        customDatadir: false,
        iguanaName: 'GLEEC',
        key: `GLEEC@${HOME_VAR}/.komodo/GLEEC`,
      },
      {
        acName: 'GLEEC',
        datadir: `${HOME_VAR}/.komodo/GLEEC_OLD`,
        customDatadir: true,
        iguanaName: 'GLEEC_OLD',
        key: `GLEEC@${HOME_VAR}/.komodo/GLEEC_OLD`,
      },
    ]);
    expect(new Set(entries.map((e) => chainIdentity(e).key)).size).toBe(entries.length);
  });
});

describe('entryToArgs', () => {
  it('builds the listassetchainparams line: JSON order, repeated addnode, $HOME expanded, then -pubkey', () => {
    const entry: AssetchainEntry = {
      ac_name: 'GLEEC',
      ac_supply: '210000000',
      addnode: ['1.1.1.1', '2.2.2.2'],
      datadir: `${HOME_VAR}/.komodo/GLEEC_OLD`,
    };
    expect(entryToArgs(entry, { home: '/root', pubkey: PUBKEY })).toEqual([
      '-ac_name=GLEEC',
      '-ac_supply=210000000',
      '-addnode=1.1.1.1',
      '-addnode=2.2.2.2',
      '-datadir=/root/.komodo/GLEEC_OLD',
      `-pubkey=${PUBKEY}`,
    ]);
    expect(entryToArgs({ ac_name: 'X' }, { home: '/root' })).toEqual(['-ac_name=X']);
  });
});

describe('assetchainEntrySchema', () => {
  it('refuses unknown keys, naming them', () => {
    expect(issuesOf({ ac_name: 'X', ac_frob: '1' }).join()).toContain('ac_frob');
  });

  it('refuses numbers instead of strings, naming the key', () => {
    expect(issuesOf({ ac_name: 'X', ac_supply: 5 })).toEqual([
      'ac_supply: must be a string (assetchains.json stores every value, numbers too, as a string)',
    ]);
  });

  it('refuses a non-list addnode and bad values', () => {
    expect(issuesOf({ ac_name: 'X', addnode: '1.2.3.4' }).join()).toContain('addnode');
    expect(issuesOf({ ac_name: 'X', ac_staked: '101' })).toEqual(['-ac_staked: 101 is out of range 0..100']);
    expect(issuesOf({ ac_name: 'X/Y' }).join()).toContain('-ac_name: must not contain path separators');
    expect(issuesOf({ ac_supply: '5' }).join()).toContain('ac_name');
  });

  it('applies the cross-flag rules', () => {
    expect(issuesOf({ ac_name: 'X', ac_private: '1' })).toEqual([
      '-ac_private: -ac_private is only supported for PIRATE (komodod shuts down)',
    ]);
  });
});

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveCoins } from './coins/resolve.js';
import { ConfigError, loadConfig, parseConfig } from './config.js';
import { checkPassphrase } from './sidecar.js';
import { TEST_PASSPHRASE, TEST_PUBKEY, writeSecret } from './testing/harness.js';

const coin = (kind: string, extra: Record<string, unknown> = {}) => ({
  kind,
  upstream: `http://${kind}-sidecar:8080`,
  tokenFile: `/run/secrets/${kind}-token`,
  ...extra,
});

const minimal = () => ({
  electedFile: '/etc/nn/elected',
  passphraseFile: '/run/secrets/passphrase',
  notaryPubkey: TEST_PUBKEY,
  myipaddr: '203.0.113.7',
  home: '/home/nn',
  tokensFile: '/run/secrets/tokens.json',
  coins: [coin('kmd'), coin('ltc')],
});

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('accepted');
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('parseConfig', () => {
  it('fills the defaults of a minimal config', () => {
    const cfg = parseConfig(minimal());
    expect(cfg).toMatchObject({
      listen: '0.0.0.0:8080',
      iguanaPort: 7776,
      pollIntervalMs: 5000,
      rateLimitPerMinute: 600,
    });
    expect(cfg.coins[0]).toMatchObject({ kind: 'kmd', dpow: true });
  });

  it.each([
    [{ notaryPubkey: '04abcd' }, 'notaryPubkey: must be a 33-byte compressed pubkey in hex'],
    [{ myipaddr: '300.1.1.1' }, 'myipaddr: must be an IPv4 address'],
    [{ home: 'relative/home' }, 'home: must be an absolute path'],
    [{ passphraseFile: '/run/../etc/passwd' }, 'passphraseFile: must not contain ..'],
    [{ iguanaPort: 70000 }, 'iguanaPort:'],
    [{ coins: [] }, 'coins: at least KMD is needed'],
    [{ coins: [coin('doge')] }, "coins.0.kind: must be one of 'kmd', 'ltc', 'btc', 'assetchain'"],
    [{ coins: [coin('kmd', { upstream: 'ftp://x' })] }, 'coins.0.upstream: must be an http(s) URL'],
    [
      { coins: [coin('kmd'), coin('assetchain', { assetchain: { ac_name: 'X', ac_supply: 5 } })] },
      'coins.1.assetchain.ac_supply',
    ],
    [{ coins: [coin('kmd'), coin('assetchain')] }, 'coins.1.assetchain'],
    [{ coins: [coin('kmd', { freq: 5 })] }, 'coins.0'],
    [{ extra: 1 }, 'extra'],
  ])('names the bad field: %j', (patch, expected) => {
    const msg = errorOf(() => parseConfig({ ...minimal(), ...patch }));
    expect(msg).toContain(expected);
  });

  it('reads a JSON file and reports one that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'igs-cfg-'));
    dirs.push(dir);
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(minimal()));
    expect(loadConfig(good).myipaddr).toBe('203.0.113.7');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    expect(() => loadConfig(bad)).toThrow(ConfigError);
    expect(errorOf(() => loadConfig(join(dir, 'missing.json')))).toMatch(/cannot read/);
  });
});

describe('resolveCoins (rules across coins)', () => {
  const resolve = (coins: unknown[]) => resolveCoins(parseConfig({ ...minimal(), coins }).coins, '/home/nn');

  it('derives names, bridge ports and conf paths like the dPoW scripts', () => {
    const r = resolve([
      coin('kmd'),
      coin('ltc'),
      coin('assetchain', { assetchain: { ac_name: 'KOIN', ac_supply: '125000000' }, freq: 10 }),
    ]);
    expect(r.map((c) => [c.name, c.role, c.rpcPort, c.confPath])).toEqual([
      ['KMD', 'source', 7771, '/home/nn/.komodo/komodo.conf'],
      ['LTC', 'destination', 9332, '/home/nn/.litecoin/litecoin.conf'],
      // KOIN 10701/10702 (dPoW iguana/coins, notary-facts §2)
      ['KOIN', 'source', 10702, '/home/nn/.komodo/KOIN/KOIN.conf'],
    ]);
    expect(r[2]?.freq).toBe(10);
  });

  it.each([
    [[coin('ltc')], "coins: exactly one coin of kind 'kmd' is needed (found 0)"],
    [[coin('kmd'), coin('kmd', { rpcPort: 1 })], "exactly one coin of kind 'kmd' is needed (found 2)"],
    [[coin('kmd')], "dPoW of KMD needs its destination: add the 'ltc' coin"],
    [[coin('kmd'), coin('ltc'), coin('btc')], 'at most one destination coin'],
    [[coin('kmd', { name: 'KOMODO' }), coin('ltc')], 'coins.0.name: must be KMD'],
    [
      [
        coin('kmd'),
        coin('ltc'),
        coin('assetchain', {
          assetchain: {
            ac_name: 'GLEEC',
            ac_supply: '210000000',
            datadir: `${['$', '{HOME}'].join('')}/.komodo/GLEEC_OLD`,
          },
          name: 'GLEEC',
        }),
      ],
      'coins.2.name: must be GLEEC_OLD',
    ],
    [[coin('kmd'), coin('ltc', { rpcPort: 7771 })], 'coins.1.rpcPort: 7771 is already used by coins.0'],
    [[coin('kmd'), coin('ltc', { confPath: '/home/nn/.komodo/komodo.conf' })], 'coins.1.confPath'],
  ])('refuses %j', (coins, expected) => {
    expect(errorOf(() => resolve(coins))).toContain(expected);
  });

  it("allows KMD without a destination when it is not dPoW'd (a third-party Iguana)", () => {
    expect(resolve([coin('kmd', { dpow: false })]).map((c) => c.name)).toEqual(['KMD']);
  });
});

describe('checkPassphrase', () => {
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'igs-pass-'));
    dirs.push(dir);
    return writeSecret(join(dir, 'passphrase'), TEST_PASSPHRASE);
  };

  it('accepts the passphrase whose Iguana key is notaryPubkey', () => {
    expect(() => checkPassphrase({ passphraseFile: file(), notaryPubkey: TEST_PUBKEY })).not.toThrow();
  });

  it('refuses another key without printing the passphrase or either key', () => {
    const other = `03${'11'.repeat(32)}`;
    const msg = errorOf(() => checkPassphrase({ passphraseFile: file(), notaryPubkey: other }));
    expect(msg).toMatch(/^notaryPubkey: not the key of the passphrase in \/.+; refusing to start$/);
    expect(msg).not.toContain(TEST_PASSPHRASE);
    expect(msg).not.toContain(TEST_PUBKEY);
    expect(msg).not.toContain(other);
  });

  it('refuses a passphrase file others can read', () => {
    const path = file();
    writeSecret(`${path}-open`, TEST_PASSPHRASE);
    chmodSync(`${path}-open`, 0o644);
    expect(
      errorOf(() => checkPassphrase({ passphraseFile: `${path}-open`, notaryPubkey: TEST_PUBKEY })),
    ).toMatch(/passphraseFile: .*must not be readable by others/);
  });
});

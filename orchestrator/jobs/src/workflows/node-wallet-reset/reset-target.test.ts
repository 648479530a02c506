import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAddress, decodeWif, KMD_PREFIXES, LTC_PREFIXES } from '@nn/chain-crypto';
import { baseLayoutOf, devnetProfile, loadNodeSecrets, nodeUnitsDesired } from '@nn/node-units';
import { PermanentError } from '@nn/orchestrator-core';
import { afterAll, describe, expect, it } from 'vitest';
import { resetTargetOf, walletPaths } from './reset-target.js';

// The two node wallets from the devnet's real network file (networks/devnet.json): the destination is
// litecoind (flavour bitcoin, .litecoin), the main chain komodod (.komodo).

const dir = mkdtempSync(join(tmpdir(), 'nn-reset-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const secrets = loadNodeSecrets(dir);
const layout = {
  prefix: 'x-',
  node: 'local',
  ports: { ltc: 1, kmd: 2, iguana: 3 },
  stopTimeoutSec: 10,
  ...baseLayoutOf(devnetProfile(), 'x-'),
};
const desired = nodeUnitsDesired(layout, dir);
const info = (walletName: string | null) => ({
  walletName,
  balance: 0,
  unconfirmed: 0,
  immature: 0,
  txcount: 0,
});

describe('resetTargetOf', () => {
  it('the destination: the LTC unit, its tokens, an LTC address and an LTC WIF of the notary key', () => {
    const t = resetTargetOf(desired, secrets, 'destination');
    expect(t).toMatchObject({ unit: 'x-ltc', role: 'destination', flavour: 'bitcoin', coin: 'LTC' });
    expect(t.tokens.operator).toBe(secrets.ltc.operator);
    const wif = decodeWif(t.wif, LTC_PREFIXES.wif);
    expect(wif.privateKey).toEqual(decodeWif(secrets.wif, KMD_PREFIXES.wif).privateKey);
    const facts = t.facts(info(''));
    expect(decodeAddress(facts.address, LTC_PREFIXES).type).toBe('p2pkh');
    expect(facts.address.startsWith('L')).toBe(true);
    // Litecoin's coinbase maturity, and Bitcoin Core 0.21's wallet dir first.
    expect(facts.maturity).toBe(100);
    expect([facts.wallet, ...(facts.alsoAt ?? [])]).toEqual([
      '.litecoin/wallets/wallet.dat',
      '.litecoin/wallet.dat',
    ]);
  });

  it("the main chain: the KMD unit, the node's KMD address and WIF, wallet.dat in .komodo", () => {
    const t = resetTargetOf(desired, secrets, 'main');
    expect(t).toMatchObject({
      unit: 'x-kmd',
      role: 'main',
      flavour: 'komodo',
      coin: 'KMD',
      wif: secrets.wif,
    });
    const facts = t.facts(info(null));
    expect(facts.address).toBe(secrets.address);
    expect(facts.wallet).toBe('.komodo/wallet.dat');
    expect(facts.alsoAt).toEqual([]);
  });

  it('a node without a destination chain has no destination wallet to reset', () => {
    const none = {
      ...desired,
      layout: { ...desired.layout, daemons: { ...desired.layout.daemons, destination: null } },
    };
    expect(() => resetTargetOf(none, secrets, 'destination')).toThrow(PermanentError);
    expect(() => resetTargetOf(none, secrets, 'destination')).toThrow(/runs no destination chain/);
  });
});

describe('walletPaths', () => {
  it('a named Bitcoin Core wallet is a directory of the wallet dir', () => {
    expect(walletPaths('.litecoin', 'bitcoin', 'notary')).toEqual([
      '.litecoin/wallets/notary/wallet.dat',
      '.litecoin/notary/wallet.dat',
    ]);
  });

  it.each(['../x', '/abs/wallet', '..', 'a/b'])('refuses a wallet named by a path (%s)', (name) => {
    expect(() => walletPaths('.litecoin', 'bitcoin', name)).toThrow(/named by a path/);
  });
});

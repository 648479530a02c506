import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coinFromAddcoin } from './coin.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'deviguana-coin-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('coinFromAddcoin with Komodo Classic’s coin files', () => {
  it('kmdclassic/dPoW coins/kmd_7776: KMD read from ~/.kmdclassic/kmdclassic.conf', () => {
    mkdirSync(join(home, '.kmdclassic'));
    writeFileSync(
      join(home, '.kmdclassic', 'kmdclassic.conf'),
      'rpcuser=kmdcl\nrpcpassword=secret\nrpcport=7771\n',
    );
    // The fields of kmdclassic/dPoW d7055a8 iguana/coins/kmd_7776 that decide the coin ("path" is
    // ${HOME#"/"}/.kmdclassic: HOME without its leading slash).
    const coin = coinFromAddcoin(
      {
        conf: 'kmdclassic.conf',
        path: `${home.replace(/^\//, '')}/.kmdclassic`,
        zcash: 1,
        RELAY: -1,
        agent: 'iguana',
        method: 'addcoin',
        newcoin: 'KMD',
        name: 'Komodo',
        netmagic: 'f9eee48d',
        p2p: 7770,
        rpc: 7771,
        pubval: 60,
        p2shval: 85,
        wifval: 188,
        sapling: 1,
      },
      'KMD',
    );
    expect(coin).toMatchObject({
      symbol: 'KMD',
      family: 'komodo',
      sapling: true,
      confFile: `${home}/.kmdclassic/kmdclassic.conf`,
      confRead: true,
      endpoint: { symbol: 'KMD', port: 7771, userpass: 'kmdcl:secret' },
    });
  });

  it('PIRATE in ~/.kmdclassic/PIRATE (the layout kmdclassicd uses) on its published port', () => {
    mkdirSync(join(home, '.kmdclassic', 'PIRATE'), { recursive: true });
    writeFileSync(
      join(home, '.kmdclassic', 'PIRATE', 'PIRATE.conf'),
      'rpcuser=p\nrpcpassword=q\nrpcport=45453\n',
    );
    const coin = coinFromAddcoin(
      { conf: 'PIRATE.conf', path: `${home.slice(1)}/.kmdclassic/PIRATE`, zcash: 1, p2p: 45452, rpc: 45453 },
      'PIRATE',
    );
    expect(coin.endpoint).toEqual({ symbol: 'PIRATE', port: 45453, userpass: 'p:q' });
  });
});

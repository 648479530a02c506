import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KomodoArgsError } from '@nn/komodo-params';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COIN } from '../rpc/json.js';
import { DevchainConfigError, resolveDevchainConfig } from './resolve-config.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'devchain-home-'));
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** Every file under home, to prove resolving writes nothing. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

function writeConf(rel: string, text: string): void {
  const path = join(home, rel);
  mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
  writeFileSync(path, text);
}

const resolve = (...argv: string[]) => resolveDevchainConfig(argv, home).cfg;

describe('resolveDevchainConfig: komodo', () => {
  it('gives KMD its ports, magic, maturity and loopback-only RPC, and writes nothing', () => {
    const cfg = resolve();
    expect(cfg).toMatchObject({
      flavour: 'komodo',
      name: 'KMD',
      isAssetchain: false,
      p2pPort: 7770,
      rpcPort: 7771,
      magic: 0x8de4eef9,
    });
    expect(cfg.rules.coinbaseMaturity).toBe(100);
    expect(cfg.rules.format).toBe('komodo-sapling');
    expect(cfg.rules.subsidy(5)).toBe(3n * COIN);
    expect(cfg.dataDir).toBe(join(home, '.komodo'));
    expect(cfg.rpc.binds).toEqual([{ host: '127.0.0.1', port: 7771 }]);
    expect(cfg.rpc.workQueue).toBe(16);
    expect(resolveDevchainConfig([], home).confExists).toBe(false);
    expect(filesUnder(home)).toEqual([]);
  });

  it('derives assetchain ports from the parameters (KOIN: 10701/10702)', () => {
    // Published in jl777/SuperNET:iguana/coins/koin_7776 (see komodo-params dpow-coins.fixtures.ts).
    const cfg = resolve('-ac_name=KOIN', '-ac_supply=125000000');
    expect(cfg).toMatchObject({ name: 'KOIN', isAssetchain: true, p2pPort: 10701, rpcPort: 10702 });
    expect(cfg.dataDir).toBe(join(home, '.komodo', 'KOIN'));
    expect(cfg.confPath).toBe(join(home, '.komodo', 'KOIN', 'KOIN.conf'));
    // Single era, no -ac_reward: block 1 is the supply plus the magic's low bits, then 0.0001 a block.
    expect(cfg.rules.subsidy(1)).toBe(125_000_000n * COIN + BigInt(cfg.magic & 0xff_ffff));
    expect(cfg.rules.subsidy(2)).toBe(10_000n);
    expect(cfg.rules.coinbaseMaturity).toBe(1);
    expect(cfg.getinfoExtras).toMatchObject({ magic: cfg.magic | 0, premine: 125_000_000 });
    expect(cfg.dest?.kind).toBe('kmd');
    expect(filesUnder(home)).toEqual([]);
  });

  it('takes -rpcport over the conf rpcport over p2p+1, and -port for the p2p port', () => {
    writeConf('.komodo/KOIN/KOIN.conf', 'rpcuser=u\nrpcpassword=p\nrpcport=20000\n');
    const fromConf = resolveDevchainConfig(['-ac_name=KOIN', '-ac_supply=125000000'], home);
    expect(fromConf.confExists).toBe(true);
    expect(fromConf.cfg.rpcPort).toBe(20000);
    expect(fromConf.cfg.rpc).toMatchObject({ user: 'u', password: 'p' });
    expect(resolve('-ac_name=KOIN', '-ac_supply=125000000', '-rpcport=30000').rpcPort).toBe(30000);
    const moved = resolve('-ac_name=KOIN', '-ac_supply=125000000', '-port=40000');
    expect(moved.p2pPort).toBe(40000);
    expect(moved.rpcPort).toBe(20000);
    rmSync(join(home, '.komodo/KOIN/KOIN.conf'));
    const noConf = resolve('-ac_name=KOIN', '-ac_supply=125000000', '-port=40000');
    expect(noConf.rpcPort).toBe(40001);
  });

  it('takes command-line credentials over the conf', () => {
    writeConf('.komodo/komodo.conf', 'rpcuser=confuser\nrpcpassword=confpass\n');
    expect(resolve('-rpcuser=cli').rpc).toMatchObject({ user: 'cli', password: 'confpass' });
  });

  it('binds as komodod: loopback without -rpcallowip, the -rpcbind list with it, all interfaces otherwise', () => {
    expect(resolve('-rpcbind=10.0.0.5').rpc.binds).toEqual([{ host: '127.0.0.1', port: 7771 }]);
    expect(resolve('-rpcallowip=10.0.0.0/8').rpc.binds).toEqual([{ host: '0.0.0.0', port: 7771 }]);
    const both = resolve(
      '-rpcallowip=10.0.0.0/8',
      '-rpcbind=10.0.0.5',
      '-rpcbind=10.0.0.6:9999',
      '-rpcbind=[::1]:8888',
      '-rpcbind=::1',
    );
    expect(both.rpc.binds).toEqual([
      { host: '10.0.0.5', port: 7771 },
      { host: '10.0.0.6', port: 9999 },
      { host: '::1', port: 8888 },
      { host: '::1', port: 7771 },
    ]);
    expect(both.rpc.allowIps).toEqual(['10.0.0.0/8']);
  });

  it('combines rpcallowip from the conf and the command line', () => {
    writeConf('.komodo/komodo.conf', 'rpcallowip=192.168.1.0/24\n');
    expect(resolve('-rpcallowip=10.0.0.1').rpc.allowIps).toEqual(['192.168.1.0/24', '10.0.0.1']);
  });

  it('refuses a bad -rpcallowip before writing anything', () => {
    expect(() => resolve('-rpcallowip=10.0.0.0/99')).toThrow(DevchainConfigError);
    expect(() => resolve('-rpcallowip=10.0.0.0/99')).toThrow(
      /^Invalid -rpcallowip subnet specification: 10\.0\.0\.0\/99\. Valid are/,
    );
    expect(filesUnder(home)).toEqual([]);
  });

  it('reads -pubkey and -notary (KMD notarises into the -notary conf)', () => {
    const cfg = resolve(`-pubkey=02${'AB'.repeat(32)}`, '-notary=.litecoin/litecoin.conf');
    expect(cfg.pubkey).toBe(`02${'ab'.repeat(32)}`);
    expect(cfg.dest).toEqual({ kind: 'btc', confPath: join(home, '.litecoin/litecoin.conf') });
  });
});

describe('resolveDevchainConfig: litecoin / bitcoin flavour', () => {
  it('gives litecoind its ports, data dir and rules', () => {
    const cfg = resolve('-devflavour=litecoin');
    expect(cfg).toMatchObject({
      flavour: 'bitcoin',
      name: 'LTC',
      product: 'Litecoin',
      p2pPort: 9333,
      rpcPort: 9332,
      magic: 0xdbb6c0fb,
    });
    expect(cfg.dataDir).toBe(join(home, '.litecoin'));
    expect(cfg.confPath).toBe(join(home, '.litecoin', 'litecoin.conf'));
    expect(cfg.rules.format).toBe('bitcoin');
    expect(cfg.rules.subsidy(1)).toBe(50n * COIN);
    expect(cfg.blockTimeSec).toBe(150);
    expect(cfg.dest).toBeUndefined();
    expect(filesUnder(home)).toEqual([]);
  });

  it('reads ports from litecoin.conf, flags first', () => {
    writeConf('.litecoin/litecoin.conf', 'rpcport=19332\nport=19335\n');
    expect(resolve('-devflavour=litecoin')).toMatchObject({ p2pPort: 19335, rpcPort: 19332 });
    expect(resolve('-devflavour=litecoin', '-rpcport=1234').rpcPort).toBe(1234);
  });

  it.each(['-ac_name=DOC', `-pubkey=02${'ab'.repeat(32)}`, '-ac_supply=5', '-notary'])(
    'refuses komodod flag %s',
    (flag) => {
      expect(() => resolve('-devflavour=litecoin', flag)).toThrow(KomodoArgsError);
    },
  );

  it("takes 0.21's wallets: -wallet names first, then the conf's wallet= lines; -walletdir over walletdir=", () => {
    writeConf('.litecoin/litecoin.conf', 'wallet=conf1\nwallet=conf2\nwalletdir=/from/conf\n');
    expect(resolve('-devflavour=litecoin', '-wallet=cli', '-walletdir=/w').wallets).toEqual({
      dir: '/w',
      names: ['cli', 'conf1', 'conf2'],
    });
    expect(resolve('-devflavour=litecoin').wallets?.dir).toBe('/from/conf');
    // komodod keeps its one <datadir>/wallet.dat.
    expect(resolve().wallets).toBeUndefined();
  });

  it('gives bitcoind its ports', () => {
    expect(resolve('-devflavour=bitcoin')).toMatchObject({
      name: 'BTC',
      p2pPort: 8333,
      rpcPort: 8332,
      blockTimeSec: 600,
    });
  });
});

describe('resolveDevchainConfig: -dev flags', () => {
  it('takes block time and warm-up in seconds', () => {
    expect(resolve('-devblocktime=0.5', '-devwarmup=3')).toMatchObject({ blockTimeSec: 0.5, warmupSec: 3 });
  });

  it.each([
    ['-devflavour=dogecoin', /must be komodo, litecoin or bitcoin/],
    ['-devblocktime=0.01', /between 0.05 and 86400/],
    ['-devblocktime=abc', /number of seconds/],
    ['-devwarmup=-1', /number of seconds/],
    ['-devwarmup=86401', /between 0 and 86400/],
    ['-devnosuch=1', /unknown devchain flag/],
  ])('refuses %s', (flag, message) => {
    expect(() => resolve(flag)).toThrow(KomodoArgsError);
    expect(() => resolve(flag)).toThrow(message);
    expect(filesUnder(home)).toEqual([]);
  });
});

describe('resolveDevchainConfig: -devnotaries', () => {
  // Shape of dPoW iguana/elected (port, minsigs, seeds, notaries as {"name": "pubkey"} in index order).
  const PUB0 = `02${'a1'.repeat(32)}`;
  const PUB1 = `03${'B2'.repeat(32)}`;
  const elected = (notaries: Array<Record<string, string>>) =>
    JSON.stringify({ port: 17762, minsigs: 1, seeds: ['127.0.0.1'], notaries });

  it('reads the elected notaries in index order (lower-case) and writes nothing', () => {
    writeConf('elected', elected([{ alice_DEV: PUB0 }, { bob_DEV: PUB1 }]));
    const before = filesUnder(home);
    const cfg = resolve('-ac_name=DEVAC', '-ac_supply=1000', `-devnotaries=${join(home, 'elected')}`);
    expect(cfg.notaries).toEqual({ path: join(home, 'elected'), pubkeys: [PUB0, PUB1.toLowerCase()] });
    expect(filesUnder(home)).toEqual(before);
    expect(resolve().notaries).toBeUndefined();
  });

  it.each([
    ['a missing file', () => join(home, 'nope.json'), /-devnotaries: cannot read .*nope\.json \(ENOENT\)/],
    ['no path', () => '', /-devnotaries: needs the path/],
    [
      'not JSON',
      () => {
        writeConf('bad', '{');
        return join(home, 'bad');
      },
      /-devnotaries: .*not JSON/,
    ],
    [
      'a bad pubkey',
      () => {
        writeConf('badkey', elected([{ x: '04abcd' }]));
        return join(home, 'badkey');
      },
      /-devnotaries: .*notaries\.0\.x: must be a 66-hex compressed pubkey/,
    ],
  ])('refuses %s, naming the flag and writing nothing', (_what, path, message) => {
    const flag = `-devnotaries=${path()}`;
    const before = filesUnder(home);
    expect(() => resolve('-ac_name=DEVAC', '-ac_supply=1000', flag)).toThrow(KomodoArgsError);
    expect(() => resolve('-ac_name=DEVAC', '-ac_supply=1000', flag)).toThrow(message);
    expect(filesUnder(home)).toEqual(before);
  });

  it('is refused by the litecoin flavour (litecoind keeps no notarisation state)', () => {
    writeConf('elected', elected([{ alice_DEV: PUB0 }]));
    expect(() => resolve('-devflavour=litecoin', `-devnotaries=${join(home, 'elected')}`)).toThrow(
      /-devnotaries: litecoind does not track notarisations/,
    );
  });
});

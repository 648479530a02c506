import {
  confFilePath,
  defaultDataDir,
  notaryDestConfPath,
  type ParsedKomodoArgs,
  parentKomodoConfPath,
  parseKomodoArgs,
} from '@nn/komodo-params';
import { bitcoinChain } from './chain-bitcoin.js';
import { komodoChain } from './chain-komodo.js';
import { checkpointEra, KOMODO_VERSIONS, type KomodoVersion } from './checkpoint-era.js';
import { type ConfValues, flagOn, readConf } from './conf-file.js';
import type { DevchainConfig, Flavour } from './config.js';
import { DevchainConfigError } from './config-error.js';
import { type DaemonName, daemonOfProgram } from './daemon-name.js';
import { checkBitcoinFlags, type DevOptions, parseDevFlag, readDevFlags } from './dev-flags.js';
import { rpcSettings } from './rpc-settings.js';

export { DevchainConfigError } from './config-error.js';

export interface ResolvedDevchain {
  readonly cfg: DevchainConfig;
  /** Conf values found on disk (absent when an assetchain conf must be written on first start). */
  readonly confExists: boolean;
}

const COIN_OF: Record<DaemonName, 'KMD' | 'LTC' | 'BTC'> = {
  komodod: 'KMD',
  kmdclassicd: 'KMD',
  litecoind: 'LTC',
  bitcoind: 'BTC',
};
const DAEMON_OF = { KMD: 'komodod', LTC: 'litecoind', BTC: 'bitcoind' } as const;
const DATADIR_FLAVOUR = {
  komodod: 'komodo',
  kmdclassicd: 'kmdclassic',
  litecoind: 'litecoin',
  bitcoind: 'bitcoin',
} as const;

/** Which daemon to be: -devas, else the program's name, else -devflavour's daemon; they must agree. */
function whichDaemon(dev: DevOptions, program: string | undefined): DaemonName {
  const named = dev.as ?? daemonOfProgram(program);
  if (named === undefined) return DAEMON_OF[dev.coin ?? 'KMD'];
  if (dev.coin !== undefined && COIN_OF[named] !== dev.coin)
    throw new DevchainConfigError(`-devflavour does not match the daemon devchain runs as (${named})`);
  return named;
}

/**
 * Turns a komodod, kmdclassicd, litecoind or bitcoind command line plus its conf file into a
 * DevchainConfig, or throws KomodoArgsError / DevchainConfigError. `program` is the path devchain was
 * started under (process.argv[1]): the image's kmdclassicd, komodod, litecoind entry points name the
 * daemon. Reads but never writes: a bad command line leaves the disk untouched.
 */
export function resolveDevchainConfig(
  argv: readonly string[],
  home: string,
  program?: string,
  env: Readonly<Record<string, string | undefined>> = {},
): ResolvedDevchain {
  const parsed = parseKomodoArgs(argv);
  const dev = readDevFlags(parsed);
  const daemon = whichDaemon(dev, program);
  const coin = COIN_OF[daemon];
  checkBitcoinFlags(parsed, dev, coin);
  if (daemon === 'kmdclassicd' && dev.version)
    throw new DevchainConfigError("-devversion is komodod's; kmdclassicd has no dPoW sunset");
  const o = parsed.options;
  const flavour: Flavour = coin === 'KMD' ? 'komodo' : 'bitcoin';
  const acName = parsed.acName;
  const daemonFlavour = DATADIR_FLAVOUR[daemon];
  const dataDir = o.datadir ?? defaultDataDir({ home, acName, flavour: daemonFlavour });
  const confPath = confFilePath({ home, acName, flavour: daemonFlavour, datadir: o.datadir, conf: o.conf });
  const conf = readConf(confPath);
  const chain = coin === 'KMD' ? komodoChain(parsed, conf) : bitcoinChain(coin, o, conf);
  const network = o.regtest ? 'regtest' : o.testnet ? 'test' : 'main';
  const imageEra = daemon === 'komodod' ? envEra(env) : {};
  const komodoVersion = daemon === 'komodod' ? (dev.version ?? imageEra.version ?? '0.8.2') : undefined;
  const sunset =
    dev.sunset ?? (KOMODO_VERSIONS[komodoVersion ?? '0.8.2'].sunset ? imageEra.sunset : undefined);
  const era = komodoVersion ? checkpointEra(komodoVersion, chain.name, network, sunset) : undefined;
  if (dev.sunset !== undefined && !era)
    throw new DevchainConfigError(
      '-devsunset needs -devversion=0.9.2 (or 0.9.2-1, 0.9.2-2): only they end dPoW',
    );
  const cfg: DevchainConfig = {
    flavour,
    daemon,
    komodoVersion,
    era,
    name: chain.name,
    isAssetchain: acName !== undefined,
    product: chain.product,
    network,
    home,
    dataDir,
    confPath,
    p2pPort: chain.ports.p2p,
    rpcPort: chain.ports.rpc,
    magic: chain.magic,
    rules: chain.rules,
    prefixes: chain.prefixes,
    cc: o.ac_cc ?? 0,
    rpc: rpcSettings(o, conf, chain.ports.rpc),
    p2p: p2pSettings(o, conf),
    // devchain is a devnet's only source of blocks, so it mines unless told -gen=0.
    gen: flagOn(o.gen, conf?.get('gen')?.[0], true),
    genproclimit: o.genproclimit ?? 1,
    blockTimeSec: dev.blockTime ?? chain.blockTime,
    warmupSec: dev.warmup,
    pubkey: o.pubkey?.toLowerCase(),
    getinfoExtras: chain.extras,
    dest: flavour === 'komodo' ? komodoDest(acName, dataDir, home, o.notary, daemonFlavour) : undefined,
    sapling: 61,
    notaries: dev.notaries,
    wallets:
      flavour === 'bitcoin'
        ? {
            dir: o.walletdir ?? conf?.get('walletdir')?.[0],
            names: [...(o.wallet ?? []), ...(conf?.get('wallet') ?? [])],
          }
        : undefined,
  };
  return { cfg, confExists: conf !== undefined };
}

/**
 * The image's defaults for komodod (DEVCHAIN_KOMODOD_VERSION, DEVCHAIN_SUNSET), so a network's stand-in
 * is picked by image reference alone: the flags win, and neither applies to kmdclassicd or litecoind.
 */
function envEra(env: Readonly<Record<string, string | undefined>>): {
  version?: KomodoVersion;
  sunset?: number;
} {
  const out: { version?: KomodoVersion; sunset?: number } = {};
  const v = env.DEVCHAIN_KOMODOD_VERSION;
  if (v) out.version = parseDevFlag('devversion', v, 'DEVCHAIN_KOMODOD_VERSION').version as KomodoVersion;
  const t = env.DEVCHAIN_SUNSET;
  if (t) out.sunset = parseDevFlag('devsunset', t, 'DEVCHAIN_SUNSET').sunset as number;
  return out;
}

function p2pSettings(o: ParsedKomodoArgs['options'], conf: ConfValues): DevchainConfig['p2p'] {
  return {
    listen: flagOn(o.listen, conf?.get('listen')?.[0], true),
    bindHost: o.bind?.[0] ?? '0.0.0.0',
    addnodes: [...(conf?.get('addnode') ?? []), ...(o.addnode ?? []), ...(o.connect ?? [])],
    maxConnections: o.maxconnections ?? 125,
  };
}

/** Where komodod reads its destination chain's conf: an assetchain's parent komodo.conf, KMD's -notary. */
function komodoDest(
  acName: string | undefined,
  dataDir: string,
  home: string,
  notary: ParsedKomodoArgs['options']['notary'],
  daemonFlavour: 'komodo' | 'kmdclassic' | 'litecoin' | 'bitcoin',
): DevchainConfig['dest'] {
  if (acName) return { kind: 'kmd', confPath: parentKomodoConfPath(dataDir, daemonFlavour) };
  if (typeof notary === 'string' && notary.length > 0)
    return { kind: 'btc', confPath: notaryDestConfPath(home, notary) };
  return undefined;
}

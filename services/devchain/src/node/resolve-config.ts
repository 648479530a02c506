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
import { type ConfValues, flagOn, readConf } from './conf-file.js';
import type { DevchainConfig, Flavour } from './config.js';
import { checkBitcoinFlags, readDevFlags } from './dev-flags.js';
import { rpcSettings } from './rpc-settings.js';

export { DevchainConfigError } from './config-error.js';

export interface ResolvedDevchain {
  readonly cfg: DevchainConfig;
  /** Conf values found on disk (absent when an assetchain conf must be written on first start). */
  readonly confExists: boolean;
}

/**
 * Turns a komodod (or litecoind/bitcoind) command line plus its conf file into a DevchainConfig,
 * or throws KomodoArgsError / DevchainConfigError. Reads but never writes: a bad command line
 * leaves the disk untouched.
 */
export function resolveDevchainConfig(argv: readonly string[], home: string): ResolvedDevchain {
  const parsed = parseKomodoArgs(argv);
  const dev = readDevFlags(parsed);
  checkBitcoinFlags(parsed, dev);
  const o = parsed.options;
  const flavour: Flavour = dev.coin === 'KMD' ? 'komodo' : 'bitcoin';
  const acName = parsed.acName;
  const daemonFlavour = dev.coin === 'LTC' ? 'litecoin' : dev.coin === 'BTC' ? 'bitcoin' : 'komodo';
  const dataDir = o.datadir ?? defaultDataDir({ home, acName, flavour: daemonFlavour });
  const confPath = confFilePath({ home, acName, flavour: daemonFlavour, datadir: o.datadir, conf: o.conf });
  const conf = readConf(confPath);
  const chain = dev.coin === 'KMD' ? komodoChain(parsed, conf) : bitcoinChain(dev.coin, o, conf);
  const cfg: DevchainConfig = {
    flavour,
    name: chain.name,
    isAssetchain: acName !== undefined,
    product: chain.product,
    network: o.regtest ? 'regtest' : o.testnet ? 'test' : 'main',
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
    dest: flavour === 'komodo' ? komodoDest(acName, dataDir, home, o.notary) : undefined,
    sapling: 61,
    notaries: dev.notaries,
  };
  return { cfg, confExists: conf !== undefined };
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
): DevchainConfig['dest'] {
  if (acName) return { kind: 'kmd', confPath: parentKomodoConfPath(dataDir) };
  if (typeof notary === 'string' && notary.length > 0)
    return { kind: 'btc', confPath: notaryDestConfPath(home, notary) };
  return undefined;
}

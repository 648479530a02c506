import { existsSync, readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { BTC_PREFIXES, KMD_PREFIXES, LTC_PREFIXES, type NetworkPrefixes } from '@nn/chain-crypto';
import {
  assetMagic,
  BTC_CONSTANTS,
  coinbaseMaturity,
  confFilePath,
  defaultDataDir,
  effectivePorts,
  KMD_CONSTANTS,
  KomodoArgsError,
  type KomodoFlagName,
  LTC_CONSTANTS,
  notaryDestConfPath,
  type ParsedKomodoArgs,
  parentKomodoConfPath,
  parseConf,
  parseElectedFile,
  parseKomodoArgs,
  resolveAssetchain,
} from '@nn/komodo-params';
import {
  type AssetchainSchedule,
  assetchainSubsidy,
  type ChainRules,
  halvingSubsidy,
  KMD_BLOCK_REWARD,
} from '../chain/rules.js';
import { AllowList } from '../rpc/allowip.js';
import type { DevchainConfig, Flavour } from './config.js';

/** Bad flags or an unusable conf file: devchain prints the message and exits 1, writing nothing. */
export class DevchainConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevchainConfigError';
  }
}

/** Flags litecoind/bitcoind share with komodod; the rest (all -ac_*, -pubkey, -notary, ...) are komodod's. */
const BITCOIN_FLAGS = new Set<KomodoFlagName>([
  'datadir',
  'conf',
  'port',
  'rpcport',
  'rpcuser',
  'rpcpassword',
  'rpcbind',
  'rpcallowip',
  'rpcworkqueue',
  'rpcthreads',
  'listen',
  'bind',
  'addnode',
  'connect',
  'maxconnections',
  'server',
  'txindex',
  'regtest',
  'testnet',
  'daemon',
  'printtoconsole',
  'debug',
  'gen',
  'paytxfee',
  'minrelaytxfee',
  'dbcache',
  'reindex',
  'rescan',
]);

interface DevOptions {
  coin: 'KMD' | 'LTC' | 'BTC';
  blockTime: number | undefined;
  warmup: number;
  notaries: { path: string; pubkeys: string[] } | undefined;
}

/** devchain's own flags, all under -dev so they never clash with komodod's. */
function readDevFlags(parsed: ParsedKomodoArgs): DevOptions {
  const out: DevOptions = { coin: 'KMD', blockTime: undefined, warmup: 0, notaries: undefined };
  for (const { name, value } of parsed.dev) {
    const v = value ?? '';
    switch (name) {
      case 'devflavour':
        if (v === 'komodo') out.coin = 'KMD';
        else if (v === 'litecoin') out.coin = 'LTC';
        else if (v === 'bitcoin') out.coin = 'BTC';
        else throw new KomodoArgsError(name, `must be komodo, litecoin or bitcoin (got "${v}")`);
        break;
      case 'devblocktime':
        out.blockTime = seconds(name, v, 0.05);
        break;
      case 'devwarmup':
        out.warmup = seconds(name, v, 0);
        break;
      case 'devnotaries':
        out.notaries = readNotaries(name, v);
        break;
      default:
        throw new KomodoArgsError(
          name,
          'unknown devchain flag (known: -devflavour, -devblocktime, -devwarmup, -devnotaries)',
        );
    }
  }
  return out;
}

/** -devnotaries=<elected file>: Iguana's elected-notaries JSON, read now so a bad file stops the start. */
function readNotaries(flag: string, v: string): { path: string; pubkeys: string[] } {
  if (v === '') throw new KomodoArgsError(flag, 'needs the path of an elected-notaries file');
  const path = resolvePath(v);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new KomodoArgsError(flag, `cannot read ${path}${code ? ` (${code})` : ''}`);
  }
  try {
    return { path, pubkeys: parseElectedFile(text).notaries.map((n) => n.pubkey) };
  } catch (err) {
    throw new KomodoArgsError(flag, `${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function seconds(flag: string, v: string, min: number): number {
  if (!/^\d+(\.\d+)?$/.test(v)) throw new KomodoArgsError(flag, `must be a number of seconds (got "${v}")`);
  const n = Number(v);
  if (n < min || n > 86_400) throw new KomodoArgsError(flag, `must be between ${min} and 86400 seconds`);
  return n;
}

function readConf(path: string): Map<string, string[]> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return parseConf(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new DevchainConfigError(
      `Error reading configuration file ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function confInt(conf: Map<string, string[]> | undefined, key: string): number | undefined {
  const v = conf?.get(key)?.[0];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new DevchainConfigError(`configuration file: ${key}=${v} is not a number`);
  return Number(v);
}

function flagOn(v: boolean | undefined, conf: string | undefined, fallback: boolean): boolean {
  if (v !== undefined) return v;
  if (conf !== undefined) return conf !== '0';
  return fallback;
}

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
  const o = parsed.options;
  const flavour: Flavour = dev.coin === 'KMD' ? 'komodo' : 'bitcoin';
  if (flavour === 'bitcoin') {
    if (dev.notaries)
      throw new KomodoArgsError(
        'devnotaries',
        `${dev.coin === 'LTC' ? 'litecoind' : 'bitcoind'} does not track notarisations`,
      );
    for (const flag of parsed.raw.keys()) {
      if (!BITCOIN_FLAGS.has(flag)) {
        throw new KomodoArgsError(
          flag,
          `is a komodod flag; ${dev.coin === 'LTC' ? 'litecoind' : 'bitcoind'} does not take it`,
        );
      }
    }
  }
  const network = o.regtest ? 'regtest' : o.testnet ? 'test' : 'main';
  const acName = parsed.acName;
  const daemonFlavour = dev.coin === 'LTC' ? 'litecoin' : dev.coin === 'BTC' ? 'bitcoin' : 'komodo';
  const dataDir = o.datadir ?? defaultDataDir({ home, acName, flavour: daemonFlavour });
  const confPath = confFilePath({ home, acName, flavour: daemonFlavour, datadir: o.datadir, conf: o.conf });
  const conf = readConf(confPath);
  const confVal = (k: string) => conf?.get(k)?.[0];

  let name: string;
  let product: string;
  let magic: number;
  let ports: { p2p: number; rpc: number };
  let prefixes: NetworkPrefixes;
  let rules: ChainRules;
  let blockTime: number;
  let extras: Record<string, unknown> = {};
  if (flavour === 'komodo') {
    name = acName ?? 'KMD';
    product = 'Komodo';
    prefixes = KMD_PREFIXES;
    ports = effectivePorts(parsed.chain, {
      port: o.port,
      rpcport: o.rpcport,
      confRpcport: confInt(conf, 'rpcport'),
    });
    if (acName) {
      const r = resolveAssetchain(parsed.chain);
      magic = assetMagic(parsed.chain);
      const schedule: AssetchainSchedule = {
        lastEra: r.lastEra,
        rewards: r.reward,
        ends: r.end.map(Number),
        halvings: r.halving.map(Number),
        decays: r.decay,
        supply: r.supply,
        magicExtra: BigInt(r.staked !== 0 ? magic >>> 0 : magic & 0xff_ffff),
      };
      rules = {
        format: 'komodo-sapling',
        coinbaseMaturity: coinbaseMaturity(parsed.chain),
        subsidy: (h) => assetchainSubsidy(schedule, h),
        genesisTime: 1_231_006_505,
        genesisTag: `${name}:${magic}`,
      };
      blockTime = r.blocktime;
      extras = assetchainGetinfoFields(r, magic);
    } else {
      magic = KMD_CONSTANTS.magic;
      rules = {
        format: 'komodo-sapling',
        coinbaseMaturity: KMD_CONSTANTS.coinbaseMaturity,
        subsidy: () => KMD_BLOCK_REWARD,
        genesisTime: 1_231_006_505,
        genesisTag: 'KMD',
      };
      blockTime = 60;
    }
  } else {
    const c = dev.coin === 'LTC' ? LTC_CONSTANTS : BTC_CONSTANTS;
    name = dev.coin;
    product = dev.coin === 'LTC' ? 'Litecoin' : 'Bitcoin';
    prefixes = dev.coin === 'LTC' ? LTC_PREFIXES : BTC_PREFIXES;
    magic = c.magic;
    ports = {
      p2p: o.port ?? confInt(conf, 'port') ?? c.p2pPort,
      rpc: o.rpcport ?? confInt(conf, 'rpcport') ?? c.rpcPort,
    };
    const interval = dev.coin === 'LTC' ? 840_000 : 210_000;
    rules = {
      format: 'bitcoin',
      coinbaseMaturity: c.coinbaseMaturity,
      subsidy: (h) => halvingSubsidy(h, interval),
      genesisTime: 1_317_972_665,
      genesisTag: dev.coin,
    };
    blockTime = dev.coin === 'LTC' ? 150 : 600;
  }
  if (o.port === undefined && flavour === 'komodo' && confInt(conf, 'port') !== undefined) {
    ports = { ...ports, p2p: confInt(conf, 'port') as number };
  }

  const user = o.rpcuser ?? confVal('rpcuser');
  const password = o.rpcpassword ?? confVal('rpcpassword');
  const allowIps = [...(conf?.get('rpcallowip') ?? []), ...(o.rpcallowip ?? [])];
  // komodod refuses to start on a bad entry (InitHTTPAllowList); check it here, before anything is written.
  try {
    new AllowList(allowIps);
  } catch (err) {
    throw new DevchainConfigError(err instanceof Error ? err.message : String(err));
  }
  const rpcBinds = [...(conf?.get('rpcbind') ?? []), ...(o.rpcbind ?? [])];
  // komodod's HTTPBindAddresses: loopback only without -rpcallowip; the given binds with both;
  // every interface with -rpcallowip alone.
  const binds =
    allowIps.length === 0
      ? [{ host: '127.0.0.1', port: ports.rpc }]
      : rpcBinds.length > 0
        ? rpcBinds.map((b) => splitBind(b, ports.rpc))
        : [{ host: '0.0.0.0', port: ports.rpc }];

  const notary = o.notary;
  const dest =
    flavour === 'komodo'
      ? acName
        ? { kind: 'kmd' as const, confPath: parentKomodoConfPath(dataDir) }
        : typeof notary === 'string' && notary.length > 0
          ? { kind: 'btc' as const, confPath: notaryDestConfPath(home, notary) }
          : undefined
      : undefined;

  const cfg: DevchainConfig = {
    flavour,
    name,
    isAssetchain: acName !== undefined,
    product,
    network,
    home,
    dataDir,
    confPath,
    p2pPort: ports.p2p,
    rpcPort: ports.rpc,
    magic,
    rules,
    prefixes,
    cc: o.ac_cc ?? 0,
    rpc: {
      user: user ?? '',
      password: password ?? '',
      allowIps,
      binds,
      workQueue: o.rpcworkqueue ?? confInt(conf, 'rpcworkqueue') ?? 16,
    },
    p2p: {
      listen: flagOn(o.listen, confVal('listen'), true),
      bindHost: o.bind?.[0] ?? '0.0.0.0',
      addnodes: [...(conf?.get('addnode') ?? []), ...(o.addnode ?? []), ...(o.connect ?? [])],
      maxConnections: o.maxconnections ?? 125,
    },
    // devchain is a devnet's only source of blocks, so it mines unless told -gen=0.
    gen: flagOn(o.gen, confVal('gen'), true),
    genproclimit: o.genproclimit ?? 1,
    blockTimeSec: dev.blockTime ?? blockTime,
    warmupSec: dev.warmup,
    pubkey: o.pubkey?.toLowerCase(),
    getinfoExtras: extras,
    dest,
    sapling: 61,
    notaries: dev.notaries,
  };
  return { cfg, confExists: conf !== undefined };
}

/** komodod's SplitHostPort: `host`, `host:port`, `[v6]`, `[v6]:port`; a bare IPv6 address has no port. */
function splitBind(bind: string, port: number): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(bind);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] ? Number(bracketed[2]) : port };
  const hostPort = /^([^:]*):(\d+)$/.exec(bind);
  if (hostPort) return { host: hostPort[1] as string, port: Number(hostPort[2]) };
  return { host: bind, port };
}

/** getinfo's assetchain tail (rpc/misc.cpp): signed magic, premine, era fields, commission, staked. */
function assetchainGetinfoFields(
  r: ReturnType<typeof resolveAssetchain>,
  magic: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = { magic: magic | 0, premine: Number(r.supply) };
  const eras = r.lastEra + 1;
  if (r.lastEra > 0) out.eras = eras;
  const list = (xs: readonly bigint[]) => xs.slice(0, eras).join(',');
  if (r.reward.some((x) => x !== 0n) || r.lastEra > 0) {
    out.reward = list(r.reward);
    out.halving = list(r.halving);
    out.decay = list(r.decay);
    out.endsubsidy = list(r.end);
    out.notarypay = list(r.notarypay);
  }
  if (r.commission !== 0n) out.commission = Number(r.commission);
  if (r.staked !== 0) out.staked = r.staked;
  return out;
}

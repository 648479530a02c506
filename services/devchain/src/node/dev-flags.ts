import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import {
  KomodoArgsError,
  type KomodoFlagName,
  type ParsedKomodoArgs,
  parseElectedFile,
} from '@nn/komodo-params';
import { type KomodoVersion, LOCKTIME_THRESHOLD, parseKomodoVersion } from './checkpoint-era.js';
import { DevchainConfigError } from './config-error.js';
import { type DaemonName, parseDevAs } from './daemon-name.js';

export interface DevOptions {
  /** From -devflavour; undefined when not given (the daemon name decides). */
  coin: 'KMD' | 'LTC' | 'BTC' | undefined;
  /** -devas=NAME: the daemon to be, as if started under that name. */
  as: DaemonName | undefined;
  /** -devversion: which komodod to be (default 0.8.2, no sunset). */
  version: KomodoVersion | undefined;
  /** -devsunset: the sunset height (< 500000000) or time for this chain, in place of upstream's. */
  sunset: number | undefined;
  blockTime: number | undefined;
  warmup: number;
  notaries: { path: string; pubkeys: string[] } | undefined;
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
  'wallet',
  'walletdir',
]);

/** devchain's own flags, all under -dev so they never clash with komodod's. */
export function readDevFlags(parsed: ParsedKomodoArgs): DevOptions {
  const out: DevOptions = {
    coin: undefined,
    as: undefined,
    version: undefined,
    sunset: undefined,
    blockTime: undefined,
    warmup: 0,
    notaries: undefined,
  };
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
      case 'devas':
        out.as = parseDevAs(name, v);
        break;
      case 'devversion':
        out.version = parseKomodoVersion(name, v);
        break;
      case 'devsunset':
        out.sunset = sunsetValue(name, v);
        break;
      default:
        throw new KomodoArgsError(
          name,
          'unknown devchain flag (known: -devflavour, -devas, -devversion, -devsunset, -devblocktime, -devwarmup, -devnotaries)',
        );
    }
  }
  return out;
}

/** One -dev flag's value read from elsewhere (an environment variable `source`), checked like the flag. */
export function parseDevFlag(
  name: 'devversion' | 'devsunset',
  value: string,
  source: string,
): Pick<DevOptions, 'version' | 'sunset'> {
  try {
    return name === 'devversion'
      ? { version: parseKomodoVersion(name, value), sunset: undefined }
      : { version: undefined, sunset: sunsetValue(name, value) };
  } catch (err) {
    throw new DevchainConfigError(`${source}: ${err instanceof KomodoArgsError ? err.reason : String(err)}`);
  }
}

/** litecoind and bitcoind refuse komodod's flags, and they track no notarisations nor sunset. */
export function checkBitcoinFlags(
  parsed: ParsedKomodoArgs,
  dev: DevOptions,
  coin: 'KMD' | 'LTC' | 'BTC',
): void {
  if (coin === 'KMD') return;
  const daemon = coin === 'LTC' ? 'litecoind' : 'bitcoind';
  if (dev.notaries) throw new KomodoArgsError('devnotaries', `${daemon} does not track notarisations`);
  if (dev.version)
    throw new KomodoArgsError('devversion', `is komodod's version; ${daemon} does not take it`);
  if (dev.sunset !== undefined) throw new KomodoArgsError('devsunset', `${daemon} has no dPoW sunset`);
  for (const flag of parsed.raw.keys()) {
    if (!BITCOIN_FLAGS.has(flag))
      throw new KomodoArgsError(flag, `is a komodod flag; ${daemon} does not take it`);
  }
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

function sunsetValue(flag: string, v: string): number {
  if (!/^\d{1,10}$/.test(v))
    throw new KomodoArgsError(flag, `must be a block height or a unix time (got "${v}")`);
  const n = Number(v);
  if (n >= LOCKTIME_THRESHOLD && n > 0xffff_ffff)
    throw new KomodoArgsError(flag, `${n} is past the largest block time`);
  return n;
}

function seconds(flag: string, v: string, min: number): number {
  if (!/^\d+(\.\d+)?$/.test(v)) throw new KomodoArgsError(flag, `must be a number of seconds (got "${v}")`);
  const n = Number(v);
  if (n < min || n > 86_400) throw new KomodoArgsError(flag, `must be between ${min} and 86400 seconds`);
  return n;
}

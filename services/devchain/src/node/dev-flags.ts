import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import {
  KomodoArgsError,
  type KomodoFlagName,
  type ParsedKomodoArgs,
  parseElectedFile,
} from '@nn/komodo-params';

export interface DevOptions {
  coin: 'KMD' | 'LTC' | 'BTC';
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
]);

/** devchain's own flags, all under -dev so they never clash with komodod's. */
export function readDevFlags(parsed: ParsedKomodoArgs): DevOptions {
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

/** litecoind and bitcoind refuse komodod's flags, and they track no notarisations. */
export function checkBitcoinFlags(parsed: ParsedKomodoArgs, dev: DevOptions): void {
  if (dev.coin === 'KMD') return;
  const daemon = dev.coin === 'LTC' ? 'litecoind' : 'bitcoind';
  if (dev.notaries) throw new KomodoArgsError('devnotaries', `${daemon} does not track notarisations`);
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

function seconds(flag: string, v: string, min: number): number {
  if (!/^\d+(\.\d+)?$/.test(v)) throw new KomodoArgsError(flag, `must be a number of seconds (got "${v}")`);
  const n = Number(v);
  if (n < min || n > 86_400) throw new KomodoArgsError(flag, `must be between ${min} and 86400 seconds`);
  return n;
}

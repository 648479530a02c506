import {
  BTC_PREFIXES,
  hash160,
  KMD_PREFIXES,
  LTC_PREFIXES,
  type NetworkPrefixes,
  p2pkhAddressFromHash,
  type TxFormat,
} from '@nn/chain-crypto';
import type { DaemonEndpoint } from '../daemon/rpc.js';
import { type ConfCredentials, confFilePathFor, readConfCredentials } from './conf-reader.js';

/** A coin added with `addcoin` in bitcoind mode (RELAY -1): everything goes through its daemon's RPC. */
export interface Coin {
  readonly symbol: string;
  /** komodo: KMD and assetchains (zcash-style serialisation); bitcoin: LTC, BTC. */
  readonly family: 'komodo' | 'bitcoin';
  readonly format: TxFormat;
  /** addcoin `"sapling":1`: notarisations are v4 Sapling transactions. */
  readonly sapling: boolean;
  readonly isPoS: boolean;
  readonly prefixes: NetworkPrefixes;
  /** coin->txfee: addcoin `txfee` (in coins), default 10000 sat (SuperNET iguana777.c iguana_setcoin). */
  readonly txfeeSats: bigint;
  readonly confFile: string;
  readonly endpoint: DaemonEndpoint;
  /** False when the conf could not be opened at addcoin time (Iguana goes on without credentials). */
  readonly confRead: boolean;
}

/** Parameters Iguana has compiled in for the coins whose addcoin bodies carry none (iguana_chains.c). */
const BUILTIN: Record<string, { family: Coin['family']; prefixes: NetworkPrefixes; rpc: number }> = {
  KMD: { family: 'komodo', prefixes: KMD_PREFIXES, rpc: 7771 },
  LTC: { family: 'bitcoin', prefixes: LTC_PREFIXES, rpc: 9332 },
  BTC: { family: 'bitcoin', prefixes: BTC_PREFIXES, rpc: 8332 },
};

export class AddcoinError extends Error {}

function intField(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number.parseInt(v, 10);
  return undefined;
}

/** `pubval`/`p2shval`/`wifval`: numbers as sent by the notary bodies; strings as 2-char hex (SN jstr). */
function prefixField(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255) return v;
  if (typeof v === 'string' && /^[0-9a-fA-F]{1,2}$/.test(v)) return Number.parseInt(v, 16);
  return undefined;
}

/** Builds the coin from an addcoin body; throws AddcoinError when no coin can be made of it. */
export function coinFromAddcoin(body: Record<string, unknown>, symbol: string): Coin {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(symbol)) throw new AddcoinError(`bad symbol ${symbol}`);
  const builtin = BUILTIN[symbol];
  const zcash = intField(body.zcash) === 1 || intField(body.sapling) === 1;
  const family: Coin['family'] = builtin?.family ?? (zcash ? 'komodo' : 'bitcoin');
  const base = builtin?.prefixes ?? (family === 'komodo' ? KMD_PREFIXES : BTC_PREFIXES);
  const prefixes: NetworkPrefixes = {
    pubkeyHash: prefixField(body.pubval) ?? base.pubkeyHash,
    scriptHash: prefixField(body.p2shval) ?? base.scriptHash,
    wif: prefixField(body.wifval) ?? base.wif,
  };
  const path = typeof body.path === 'string' ? body.path : '';
  const conf = typeof body.conf === 'string' ? body.conf : '';
  const confFile = confFilePathFor(path, conf);
  const creds: ConfCredentials | undefined = conf ? readConfCredentials(confFile) : undefined;
  const p2p = intField(body.p2p) ?? intField(body.portp2p);
  const port = creds?.rpcport ?? intField(body.rpc) ?? (p2p !== undefined ? p2p + 1 : builtin?.rpc);
  if (port === undefined || port <= 0 || port > 65535) throw new AddcoinError(`no rpc port for ${symbol}`);
  const txfee =
    typeof body.txfee === 'number' && body.txfee > 0 ? BigInt(Math.round(body.txfee * 1e8)) : 10_000n;
  return {
    symbol,
    family,
    format: family === 'komodo' ? 'komodo-sapling' : 'bitcoin',
    sapling: intField(body.sapling) === 1,
    isPoS: intField(body.isPoS) === 1,
    prefixes,
    txfeeSats: txfee,
    confFile,
    confRead: creds !== undefined,
    endpoint: { symbol, port, userpass: `${creds?.rpcuser ?? ''}:${creds?.rpcpassword ?? ''}` },
  };
}

/** The coin's P2PKH address of a 33-byte pubkey (also for pubkeys that are not curve points). */
export function coinAddress(coin: Pick<Coin, 'prefixes'>, pubkey: Uint8Array): string {
  return p2pkhAddressFromHash(hash160(pubkey), coin.prefixes);
}

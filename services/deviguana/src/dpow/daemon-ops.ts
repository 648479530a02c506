// The daemon calls of a notarisation round, with Iguana's parameters (dpow_rpc.c @3a2a586).
import type { Coin } from '../coins/coin.js';
import { type DaemonCaller, DaemonRpcError } from '../daemon/rpc.js';

export interface ChainTip {
  readonly hash: string;
  readonly height: number;
}

/** dpow_getchaintip: getbestblockhash, then getblock "<hash>" for its height. */
export async function chainTip(caller: DaemonCaller, coin: Coin): Promise<ChainTip> {
  const hash = await caller.call<string>(coin.endpoint, 'getbestblockhash');
  const block = await caller.call<{ height?: number }>(coin.endpoint, 'getblock', [hash]);
  if (typeof block.height !== 'number') throw new DaemonRpcError('getblock', 'no height in reply');
  return { hash, height: block.height };
}

/** bitcoind_getinfo: getinfo, and getblockchaininfo when the daemon has no getinfo. */
export async function getinfo(caller: DaemonCaller, coin: Coin): Promise<Record<string, unknown>> {
  try {
    return await caller.call<Record<string, unknown>>(coin.endpoint, 'getinfo');
  } catch (err) {
    if (!(err instanceof DaemonRpcError) || err.code === undefined) throw err;
    return caller.call<Record<string, unknown>>(coin.endpoint, 'getblockchaininfo');
  }
}

/**
 * dpow_checkaddress: `validateaddress` must say ismine (or iswatchonly). Bitcoin Core ≥ 0.18 (and
 * devchain's litecoin flavour) moved `ismine` to getaddressinfo; deviguana asks that one when
 * validateaddress has no `ismine` field at all (Iguana does so only for CHIPS/GAME).
 */
export async function addressIsMine(caller: DaemonCaller, coin: Coin, address: string): Promise<boolean> {
  const v = await caller.call<Record<string, unknown>>(coin.endpoint, 'validateaddress', [address]);
  if (v.isvalid !== true) return false;
  if (v.ismine === true || v.iswatchonly === true) return true;
  if ('ismine' in v) return false;
  const info = await caller.call<Record<string, unknown>>(coin.endpoint, 'getaddressinfo', [address]);
  return info.ismine === true || info.iswatchonly === true;
}

export interface SignVin {
  readonly txid: string;
  readonly vout: number;
  readonly amount: number;
  readonly scriptPubKey: string;
}

/**
 * dpow_signrawtransaction: `signrawtransaction "<raw>" [vins]`. Iguana switches to
 * signrawtransactionwithwallet for CHIPS/GAME/EMC2/AYA; deviguana does so for any daemon that has no
 * signrawtransaction (RPC_METHOD_NOT_FOUND), which is how Bitcoin Core ≥ 0.18 / litecoind 0.21 answer.
 */
export async function signRaw(
  caller: DaemonCaller,
  coin: Coin,
  rawHex: string,
  vins: readonly SignVin[],
): Promise<{ hex: string; complete: boolean }> {
  let res: { hex?: string; complete?: boolean };
  try {
    res = await caller.call(coin.endpoint, 'signrawtransaction', [rawHex, vins]);
  } catch (err) {
    if (!(err instanceof DaemonRpcError) || err.code !== -32601) throw err;
    res = await caller.call(coin.endpoint, 'signrawtransactionwithwallet', [rawHex, vins]);
  }
  if (typeof res.hex !== 'string') throw new DaemonRpcError('signrawtransaction', 'no hex in reply');
  return { hex: res.hex, complete: res.complete === true };
}

/** The scriptSig hex of each vin, as dpow_rawtxsign reads it back with decoderawtransaction. */
export async function decodedScriptSigs(caller: DaemonCaller, coin: Coin, hex: string): Promise<string[]> {
  const tx = await caller.call<{ vin?: Array<{ scriptSig?: { hex?: string } }> }>(
    coin.endpoint,
    'decoderawtransaction',
    [hex],
  );
  return (tx.vin ?? []).map((v) => v.scriptSig?.hex ?? '');
}

export async function lockUnspent(
  caller: DaemonCaller,
  coin: Coin,
  unlock: boolean,
  outpoint: { txid: string; vout: number },
): Promise<boolean> {
  try {
    return (await caller.call<boolean>(coin.endpoint, 'lockunspent', [unlock, [outpoint]])) === true;
  } catch {
    return false;
  }
}

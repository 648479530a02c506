import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, isNotaryUtxoScript } from '@nn/chain-crypto';
import type { ChainStatus, SidecarConfig } from '../contract/index.js';
import { type DaemonRpc, DaemonRpcError, DaemonUnreachable } from '../daemon/rpc.js';
import { ensureWallet, type WalletOutcome } from '../daemon/wallet.js';

interface UnspentEntry {
  /** A string when it has more than 15 characters: the RPC client's JSON parser (json-bigint) keeps such numbers exact. */
  readonly amount: number | string;
  readonly scriptPubKey: string;
  readonly spendable?: boolean;
}

/**
 * Asks the daemon for the status fields. komodod: getinfo (blocks, longestchain, connections,
 * notarized, balance, version); Bitcoin Core: getblockchaininfo, getnetworkinfo, getbalance. Both:
 * listunspent for notary UTXOs. Never throws: an unreachable or warming daemon is a status too.
 * Bitcoin Core 0.21 creates no wallet: when -18 says none is loaded, the notary's is loaded or made
 * first (daemon/wallet.ts), so the node is never ready without it; `onWallet` hears what was done.
 */
export async function collectStatus(
  cfg: SidecarConfig,
  rpc: DaemonRpc,
  onWallet?: (outcome: WalletOutcome) => void,
): Promise<ChainStatus> {
  const base = {
    chain: cfg.chain,
    flavour: cfg.flavour,
    walletBytes: walletBytes(cfg),
    at: Date.now(),
  };
  const empty = {
    blocks: null,
    headers: null,
    synced: false,
    connections: null,
    notarized: null,
    notarizedLag: null,
    balance: null,
    notaryUtxos: null,
    version: null,
    dpowActive: null,
    checkpoint: null,
  };
  try {
    const core = cfg.flavour === 'komodo' ? await komodoCore(rpc) : await bitcoinCore(rpc, onWallet);
    const notaryUtxos = cfg.notaryPubkey
      ? await countNotaryUtxos(rpc, cfg.notaryPubkey, cfg.notaryUtxoSats)
      : null;
    return { ...base, rpc: 'ok', rpcMessage: null, ...core, notaryUtxos };
  } catch (err) {
    if (err instanceof DaemonRpcError && err.code === -28)
      return { ...base, ...empty, rpc: 'warmup', rpcMessage: err.message };
    if (err instanceof DaemonUnreachable)
      return { ...base, ...empty, rpc: 'unreachable', rpcMessage: err.message };
    if (err instanceof DaemonRpcError)
      return { ...base, ...empty, rpc: 'unreachable', rpcMessage: `RPC error ${err.code}: ${err.message}` };
    throw err;
  }
}

async function komodoCore(rpc: DaemonRpc) {
  const info = await rpc.call<Record<string, unknown>>('getinfo');
  const era = await checkpointEra(rpc, info);
  const blocks = num(info.blocks);
  // komodod's longestchain is 0 until a peer has told it a height: then the node cannot know better.
  const longest = num(info.longestchain);
  const headers = longest !== null && longest > 0 ? Math.max(longest, blocks ?? 0) : blocks;
  const notarized = num(info.notarized);
  return {
    blocks,
    headers,
    synced: blocks !== null && headers !== null && blocks >= headers && info.synced !== false,
    connections: num(info.connections),
    notarized,
    notarizedLag: blocks !== null && notarized !== null ? blocks - notarized : null,
    balance: num(info.balance),
    version: num(info.version),
    ...era,
  };
}

const ZERO_HASH = /^0{64}$/;

/**
 * dPoW and checkpoints as komodod v0.9.2 reports them (GLEECBTC/komodo-daemon rpc/blockchain.cpp,
 * rpc/misc.cpp): getblockchaininfo's syncCheckpointUpgrade, then getcheckpoint while checkpoints are
 * active. Without syncCheckpointUpgrade the daemon predates the sunset: dPoW is on when getinfo
 * carries the notarised fields, and there is no checkpoint.
 */
async function checkpointEra(
  rpc: DaemonRpc,
  info: Record<string, unknown>,
): Promise<{ dpowActive: boolean | null; checkpoint: ChainStatus['checkpoint'] }> {
  const legacy = { dpowActive: 'notarized' in info ? true : null, checkpoint: null };
  let chain: Record<string, unknown>;
  try {
    chain = await rpc.call<Record<string, unknown>>('getblockchaininfo');
  } catch (err) {
    if (err instanceof DaemonRpcError && err.code === -32601) return legacy;
    throw err;
  }
  const upgrade = chain.syncCheckpointUpgrade;
  if (typeof upgrade !== 'object' || upgrade === null) return legacy;
  const u = upgrade as Record<string, unknown>;
  // v0.9.2 writes dpow_active as the string "true"/"false".
  const dpowActive = u.dpow_active === 'true' || u.dpow_active === true;
  if (u.sync_checkpoint_active !== true) return { dpowActive, checkpoint: null };
  const cp = await rpc.call<Record<string, unknown>>('getcheckpoint');
  const hash = typeof cp.checkpoint === 'string' ? cp.checkpoint : '';
  if (hash === '' || ZERO_HASH.test(hash)) return { dpowActive, checkpoint: null };
  const height = num(cp.height);
  return { dpowActive, checkpoint: { height: height === null ? null : Math.trunc(height), hash } };
}

async function bitcoinCore(rpc: DaemonRpc, onWallet?: (outcome: WalletOutcome) => void) {
  const chain = await rpc.call<Record<string, unknown>>('getblockchaininfo');
  const net = await rpc.call<Record<string, unknown>>('getnetworkinfo');
  const getbalance = () => rpc.call('getbalance');
  const balance = await withoutWallet(
    () =>
      getbalance().catch(async (err: unknown) => {
        if (!(err instanceof DaemonRpcError && err.code === -18)) throw err;
        const outcome = await ensureWallet(rpc);
        onWallet?.(outcome);
        return getbalance();
      }),
    (v) => num(v),
  );
  const blocks = num(chain.blocks);
  const headers = num(chain.headers);
  return {
    blocks,
    headers,
    synced: blocks !== null && headers !== null && blocks >= headers && chain.initialblockdownload !== true,
    connections: num(net.connections),
    notarized: null,
    notarizedLag: null,
    balance,
    version: num(net.version),
    dpowActive: null,
    checkpoint: null,
  };
}

/**
 * A wallet call on a node that may have no wallet: -18 (no wallet loaded) or -32601 (wallet disabled,
 * "Method not found (disabled)") give null; anything else is a real error.
 */
async function withoutWallet<R, T>(call: () => Promise<R>, use: (v: R) => T): Promise<T | null> {
  try {
    return use(await call());
  } catch (err) {
    if (err instanceof DaemonRpcError && (err.code === -18 || err.code === -32601)) return null;
    throw err;
  }
}

async function countNotaryUtxos(rpc: DaemonRpc, pubkeyHex: string, sats: number): Promise<number | null> {
  const pubkey = fromHex(pubkeyHex.toLowerCase());
  return withoutWallet(
    () => rpc.call<UnspentEntry[]>('listunspent'),
    (unspent) => countMatching(unspent, pubkey, sats),
  );
}

function countMatching(unspent: UnspentEntry[], pubkey: Uint8Array, sats: number): number {
  return unspent.filter(
    (u) =>
      u.spendable !== false &&
      Math.round(Number(u.amount) * 1e8) === sats &&
      isNotaryUtxoScript(fromHex(u.scriptPubKey), pubkey),
  ).length;
}

/** wallet.dat's size: Bitcoin Core 0.21 keeps the unnamed wallet in <datadir>/wallets/ when that exists. */
function walletBytes(cfg: SidecarConfig): number | null {
  if (!cfg.daemon.datadir) return null;
  const places = cfg.flavour === 'bitcoin' ? [join('wallets', 'wallet.dat'), 'wallet.dat'] : ['wallet.dat'];
  for (const place of places) {
    try {
      return statSync(join(cfg.daemon.datadir, place)).size;
    } catch {
      // Not there: the next place.
    }
  }
  return null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

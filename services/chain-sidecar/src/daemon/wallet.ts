import { type DaemonRpc, DaemonRpcError } from './rpc.js';

/** What ensureWallet found or did. */
export type WalletOutcome = 'present' | 'loaded' | 'created' | 'disabled';

/**
 * The notary's wallet on litecoind/bitcoind 0.21, which creates none at start-up: a loaded wallet is left
 * alone; else the unnamed default wallet is loaded when it exists (loadwallet ""), else created as a
 * legacy wallet loaded on every start-up, what an operator types by hand on a fresh node:
 * `createwallet "" false false "" false false true`. A node run with -disablewallet (-32601) is left so.
 */
export async function ensureWallet(rpc: DaemonRpc): Promise<WalletOutcome> {
  let names: unknown;
  try {
    names = await rpc.call('listwallets');
  } catch (err) {
    if (err instanceof DaemonRpcError && err.code === -32601) return 'disabled';
    throw err;
  }
  if (Array.isArray(names) && names.length > 0) return 'present';
  try {
    await rpc.call('loadwallet', '');
    return 'loaded';
  } catch (err) {
    // -18: no data file yet; -35: loaded meanwhile (another caller).
    if (err instanceof DaemonRpcError && err.code === -35) return 'present';
    if (!(err instanceof DaemonRpcError && err.code === -18)) throw err;
  }
  try {
    await rpc.call('createwallet', '', false, false, '', false, false, true);
    return 'created';
  } catch (err) {
    // Created meanwhile by another caller ("Database already exists"): load that one.
    if (err instanceof DaemonRpcError && err.code === -4 && /already exists/.test(err.message)) {
      await rpc.call('loadwallet', '').catch((e: unknown) => {
        if (!(e instanceof DaemonRpcError && e.code === -35)) throw e;
      });
      return 'loaded';
    }
    throw err;
  }
}

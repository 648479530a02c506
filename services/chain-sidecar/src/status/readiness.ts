import type { ChainStatus, Readiness } from '../contract/index.js';

/**
 * Ready = RPC answers without -28, the chain is caught up with what the network is known to be at,
 * and (when required) it has peers. Connection refused and -28 are normal at start-up: they give
 * 503 with the reason, never a crash.
 */
export function readiness(status: ChainStatus, requirePeers: boolean): Readiness {
  if (status.rpc === 'unreachable')
    return { ready: false, reason: `daemon RPC unreachable: ${status.rpcMessage ?? 'no answer'}` };
  if (status.rpc === 'warmup')
    return { ready: false, reason: `daemon warming up: ${status.rpcMessage ?? '-28'}` };
  if (!status.synced)
    return { ready: false, reason: `syncing: ${status.blocks ?? '?'} of ${status.headers ?? '?'} blocks` };
  if (requirePeers && (status.connections ?? 0) < 1) return { ready: false, reason: 'no peers' };
  return { ready: true, reason: null };
}

import { type BridgeConfig, LoopbackBridge } from '@nn/chain-sidecar';
import type { Logger } from 'pino';
import type { IguanaMetrics } from '../metrics.js';
import { IGUANA_BRIDGE_METHODS } from './bridge-methods.js';
import type { ResolvedCoin } from './resolve.js';

/**
 * The coin's loopback bridge (the chain sidecar's LoopbackBridge): writes the conf Iguana reads for
 * the coin (bridge-local rpcuser/rpcpassword, rpcport = the coin's RPC port), serves
 * 127.0.0.1:<rpcport> inside the Iguana unit and forwards Iguana's calls, within its allowlist, to the
 * coin's chain sidecar with the coin's token. Iguana runs unmodified on any node.
 */
export function coinBridge(
  coin: ResolvedCoin,
  maxBodyBytes: number,
  metrics: IguanaMetrics,
  log: Logger,
): LoopbackBridge {
  const cfg: BridgeConfig = {
    name: coin.name,
    port: coin.rpcPort,
    confPath: coin.confPath,
    confExtra: {},
    upstream: coin.upstream,
    tokenFile: coin.tokenFile,
    methods: [...IGUANA_BRIDGE_METHODS],
  };
  return new LoopbackBridge(cfg, maxBodyBytes, { bridgeRequests: metrics.bridgeRequests }, log);
}

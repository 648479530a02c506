import { type AssetchainParams, isKmd } from './chain-params.js';
import { assetMagic, extraParamsBuffer } from './magic.js';

// Default ports, as komodo_port()/komodo_assetport() in komodo src/komodo_utils.cpp and, for KMD,
// CMainParams (nDefaultPort 7770) in src/chainparams.cpp and CBaseMainParams (rpc 7771).

export const KMD_P2P_PORT = 7770;
export const KMD_RPC_PORT = 7771;

/**
 * The p2p port komodod listens on by default. Assetchains: 8000 + magic % 7777 without extra parameters,
 * else 16000 + magic % 49500. (komodo_port() returns 8880 for KMD, but KMD's network port comes from
 * chainparams: 7770.) `-port` overrides it (see portsFromOptions).
 */
export function p2pPort(params: AssetchainParams): number {
  if (isKmd(params)) return KMD_P2P_PORT;
  const magic = assetMagic(params);
  const extra = extraParamsBuffer(params);
  return extra === undefined ? 8000 + (magic % 7777) : 16000 + (magic % 49500);
}

/** The default RPC port: p2p + 1 (ASSETCHAINS_RPCPORT); KMD 7771. */
export function rpcPort(params: AssetchainParams): number {
  return isKmd(params) ? KMD_RPC_PORT : p2pPort(params) + 1;
}

/**
 * The ports a komodod actually uses: `-port` replaces the p2p port, and an assetchain's RPC port is then
 * `-rpcport`, else the conf's rpcport, else the (possibly overridden) p2p port + 1 (komodo_args).
 */
export function effectivePorts(
  params: AssetchainParams,
  overrides: { port?: number | undefined; rpcport?: number | undefined; confRpcport?: number | undefined },
): { p2p: number; rpc: number } {
  const p2p = overrides.port ?? p2pPort(params);
  const rpc = overrides.rpcport ?? overrides.confRpcport ?? (isKmd(params) ? KMD_RPC_PORT : p2p + 1);
  return { p2p, rpc };
}

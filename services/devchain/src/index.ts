export { callRpc, type RpcOutcome, type RpcTarget, rpcTargetFor } from './cli/rpc-call.js';
export type { DevchainConfig, Flavour } from './node/config.js';
export { DevchainNode } from './node/devchain-node.js';
export { DevchainConfigError, resolveDevchainConfig } from './node/resolve-config.js';

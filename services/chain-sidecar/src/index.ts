export { decide, NEVER_METHODS, OPERATOR_METHODS, type Role, VIEWER_METHODS } from './api/allowlist.js';
export { TokenStore } from './api/tokens.js';
export { LoopbackBridge, renderBridgeConf } from './bridge/bridge.js';
export { parseSidecarConfig, SidecarConfigError } from './config.js';
export {
  type BridgeConfig,
  type ChainStatus,
  SIDECAR_ROUTES,
  type SidecarConfig,
  sidecarConfigSchema,
} from './contract/index.js';
export { type RunningSidecar, startSidecar } from './sidecar.js';

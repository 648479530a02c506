export { decide, NEVER_METHODS, OPERATOR_METHODS, type Role, VIEWER_METHODS } from './api/allowlist.js';
export { SIDECAR_ROUTES } from './api/routes.js';
export { TokenStore } from './api/tokens.js';
export { LoopbackBridge, renderBridgeConf } from './bridge/bridge.js';
export {
  type BridgeConfig,
  parseSidecarConfig,
  type SidecarConfig,
  SidecarConfigError,
  sidecarConfigSchema,
} from './config.js';
export { type RunningSidecar, startSidecar } from './sidecar.js';
export type { ChainStatus } from './status/status.js';

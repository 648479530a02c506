export {
  type AddcoinBody,
  assetchainAddcoin,
  confLocation,
  destinationAddcoin,
  kmdAddcoin,
} from './coins/addcoin.js';
export { IGUANA_BRIDGE_METHODS } from './coins/bridge-methods.js';
export { CoinConfigError, type ResolvedCoin, resolveCoin, resolveCoins } from './coins/resolve.js';
export {
  type CoinConfig,
  type CoinInput,
  ConfigError,
  coinSchema,
  type IguanaSidecarConfig,
  iguanaSidecarConfigSchema,
  loadConfig,
  parseConfig,
} from './config.js';
export {
  IGUANA_SIDECAR_ROUTES,
  type IguanaState,
  type RemovedCoin,
  splitBodySchema,
} from './contract/index.js';
export type { IguanaDriver } from './driver.js';
export { IguanaClient, IguanaUnreachable, iguanaError } from './iguana/client.js';
export { parseIguanaHttpReply } from './iguana/http-reply.js';
export { checkPassphrase, type RunningIguanaSidecar, startIguanaSidecar } from './sidecar.js';
export {
  ACTIVE_BELOW_SEC,
  type Activity,
  activityOf,
  type CoinStatus,
  INACTIVE_ABOVE_SEC,
} from './status.js';

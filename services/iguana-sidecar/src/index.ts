export { IGUANA_SIDECAR_ROUTES } from './api/routes.js';
export { splitBodySchema } from './api/server.js';
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
export type { IguanaDriver, IguanaState, RemovedCoin } from './driver.js';
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

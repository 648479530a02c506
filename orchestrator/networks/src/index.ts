export { fillPlaceholders, PLACEHOLDERS, type Placeholder, rpcExposure } from './command-line.js';
export {
  isNetworkPath,
  type LoadedNetwork,
  loadNetwork,
  NetworkFileError,
  parseNetwork,
  readNetworkFile,
  SHIPPED_DIR,
  shippedNetworks,
} from './load-network.js';
export {
  type ChainDaemon,
  type IguanaDaemon,
  type Network,
  type NetworkInput,
  networkNameSchema,
  networkSchema,
} from './network-schema.js';

export {
  type BaseImages,
  type BaseUnitsLayout,
  devnetElectedFile,
  HOME,
  iguanaUnitSpec,
  kmdUnitSpec,
  ltcUnitSpec,
  SIDECAR_PORT,
  sidecarByName,
  unitNames,
} from './base-unit-specs.js';
export {
  type BaseUnit,
  type BaseUnits,
  type DeployBaseUnitsOptions,
  deployBaseUnits,
  removeBaseUnits,
} from './deploy-base-units.js';
export { type FundResult, fundDevnet } from './fund-devnet.js';
export { loadNodeSecrets, type NodeSecrets, type TokenPair } from './node-secrets.js';
export {
  DEVNET_CHAINS,
  missingForProfile,
  NETWORKS,
  type NetworkName,
  type NetworkProfile,
  PROFILES,
} from './profiles/network-profiles.js';

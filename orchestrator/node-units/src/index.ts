export {
  type BaseImages,
  type BaseUnitsLayout,
  daemonPaths,
  devnetElectedFile,
  HOME,
  iguanaUnitSpec,
  kmdUnitSpec,
  ltcUnitSpec,
  SIDECAR_PORT,
  STAND_IN_FLAGS,
  sidecarByName,
  unitNames,
} from './base-unit-specs.js';
export {
  type BaseUnit,
  type BaseUnits,
  type DeployBaseUnitsOptions,
  deployBaseUnits,
  removeBaseUnits,
  waitUnitReady,
} from './deploy-base-units.js';
export {
  NODE_UNIT_ROLES,
  type NodeUnitRole,
  type NodeUnitsDesired,
  nodeUnitNames,
  nodeUnitsDesired,
  type PlannedNodeUnit,
  parseNodeUnitsDesired,
  plannedNodeUnits,
} from './desired-units.js';
export { type FundResult, fundDevnet } from './fund-devnet.js';
export { loadNodeSecrets, type NodeSecrets, type TokenPair } from './node-secrets.js';
export {
  baseLayoutOf,
  defaultChainResources,
  devnetProfile,
  layoutGaps,
  loadProfile,
  missingForProfile,
  type NetworkProfile,
  nodeMemoryBytes,
  profileOf,
  standInChainArgs,
} from './profiles/network-profiles.js';
export {
  type NodePlan,
  type PlannedMount,
  type PlannedStep,
  type PlannedUnit,
  planNode,
} from './profiles/node-plan.js';

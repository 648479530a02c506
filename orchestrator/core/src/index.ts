export { type ChainEntry, chainEntriesSchema, chainEntrySchema, datadirProblem } from './chain-entry.js';
export { type ChainId, chainIdFor, chainIdSchema } from './chain-id.js';
export { type ChainRecord, chainRecordSchema } from './chain-record.js';
export {
  type AddChainRequest,
  addChainRequestSchema,
  buildChainSpec,
  type ChainSpec,
  type ChainSpecDefaults,
  chainSpecSchema,
  deriveChain,
} from './chain-spec.js';
export { CHAIN_STATUSES, type ChainStatus, chainStatusSchema } from './chain-status.js';
export { CapacityError } from './errors/capacity-error.js';
export { ConflictError } from './errors/conflict-error.js';
export { CorruptStateError } from './errors/corrupt-state-error.js';
export { type Dependency, DependencyDownError } from './errors/dependency-down-error.js';
export { dependencyBackoffMs, errorDisposition } from './errors/disposition.js';
export { NotFoundError } from './errors/not-found-error.js';
export { OrchestratorError, type OrchestratorErrorCode } from './errors/orchestrator-error.js';
export { PermanentError } from './errors/permanent-error.js';
export { type NodeRefusal, PlacementError } from './errors/placement-error.js';
export { TransientError } from './errors/transient-error.js';
export { type FieldIssue, ValidationError } from './errors/validation-error.js';
export { IMAGE_REF_MAX, type ImageRef, imageRefSchema } from './image-ref.js';
export {
  type ChainAddJobData,
  type ChainMoveJobData,
  type ChainRemoveJobData,
  type ChainRestartJobData,
  type ChainUpgradeJobData,
  chainAddJobSchema,
  chainRemoveJobSchema,
  chainRestartJobSchema,
  chainUpgradeJobSchema,
  JOB_NAMES,
  JOB_STEPS,
  type JobDataMap,
  type JobName,
  type JobProgress,
  jobDataSchemas,
  jobProgressSchema,
  type NodeConsolidateJobData,
  type NodeDrainJobData,
  type NodeUpgradeJobData,
  type NodeWalletResetJobData,
  nodeConsolidateJobSchema,
  nodeUpgradeJobSchema,
  nodeWalletResetJobSchema,
  parseJobData,
  type ReconcileJobData,
  reconcileJobSchema,
} from './jobs.js';
export {
  actorSchema,
  DNS_LABEL_MAX,
  dnsLabelProblem,
  type Labels,
  labelsSchema,
  type NodeName,
  nodeNameSchema,
} from './names.js';
export {
  type NodeCapacity,
  type NodeEndpoint,
  type NodeSpec,
  type NodeSpecInput,
  nodeCapacitySchema,
  nodeEndpointSchema,
  nodeSpecSchema,
  type PortRange,
  portRangeSchema,
} from './node-spec.js';
export {
  canonicalTargetKey,
  NODE_UPGRADE_ROLES,
  NODE_UPGRADE_TARGETS_HELP,
  type NodeUpgradeImages,
  type NodeUpgradePlan,
  type NodeUpgradeRole,
  type NodeUpgradeTarget,
  nodeUpgradeImagesSchema,
  nodeUpgradePlanSchema,
  type PlannedDaemon,
  parseUpgradeTarget,
  plannedDaemonSchema,
} from './node-upgrade.js';
export {
  NODE_WALLET_TARGETS,
  NODE_WALLET_TARGETS_HELP,
  type NodeWalletTarget,
  nodeWalletTargetSchema,
  parseNodeWalletTarget,
} from './node-wallet-reset.js';
export {
  absolutePathSchema,
  chainUnitsWiringSchema,
  iguanaWiringSchema,
  kmdWiringSchema,
  ltcWiringSchema,
  type NodeWiringInput,
  notaryKeySchema,
} from './node-wiring.js';
export {
  type Placement,
  type PlacementConstraints,
  type PlacementDecision,
  type PlacementRequest,
  placementConstraintsSchema,
  placementSchema,
} from './placement.js';
export {
  type ChainResources,
  chainResourcesSchema,
  DEFAULT_CHAIN_RESOURCES,
  DEVCHAIN_CHAIN_RESOURCES,
} from './resources.js';
export { fieldIssues, parseOrThrow } from './zod-issues.js';

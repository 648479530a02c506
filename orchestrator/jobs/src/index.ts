export {
  type JobQueueConfig,
  type JobsConfig,
  type JobsConfigInput,
  jobQueueConfigSchema,
  jobsConfigSchema,
  parseJobQueueConfig,
  parseJobsConfig,
} from './config.js';
export type { ChainJobContext, Enqueuer, JobsDeps, StepHooks, SweepEnqueuer } from './context.js';
export { type DrainPlan, planDrain, strandedReason } from './drain/drain-plan.js';
export { currentDrainPlan, lostNodes, setSchedulable, uncordon } from './drain/node-marks.js';
export { asJobError } from './errors.js';
export { dedupeIdFor, type JobKind, jobIdFor, jobKindOf } from './job-ids.js';
export { JobNotes } from './job-notes.js';
export { type ListableJobState, recentJobs } from './job-reader.js';
export { JOB_RETENTION } from './job-retention.js';
export { type JobView, readJob } from './job-status.js';
export { createJobsRuntime, type JobsRuntime, type JobsRuntimeOptions } from './jobs-runtime.js';
export { type ProgressSink, StepProgress } from './progress.js';
export { type ChainAddRequest, JobQueue, SWEEP_SCHEDULER_ID } from './queues.js';
export { type EventFeed, type EventFeedDeps, startEventFeed } from './reconcile/event-feed.js';
export { scrubSecrets } from './secrets/scrub.js';
export { type ChainSecrets, SecretStore } from './secrets/secret-store.js';
export { type StatusPoller, startStatusPoller } from './status/status-poller.js';
export { chainUnitFiles } from './unit/unit-files.js';
export { UNIT_NAME_MAX, unitNameOf } from './unit/unit-name.js';
export { SIDECAR_API_PORT, type UnitPaths, unitPaths } from './unit/unit-paths.js';
export { chainUnitSpec, LABEL_CHAIN, LABEL_INSTANCE } from './unit/unit-spec.js';
export { createJobsWorker, type JobsWorkerOptions, processJob } from './worker.js';
export { type AddChainResult, addChain, rollbackAddChain } from './workflows/add-chain.js';
export { type DrainNodeResult, drainNode } from './workflows/drain-node.js';
export { type MoveChainResult, moveChain } from './workflows/move-chain.js';
export { type NodeUpgradeResult, nodeUpgrade } from './workflows/node-upgrade/node-upgrade.js';
export {
  describeNodeUpgrade,
  type NodeUpgradeInput,
  planNodeUpgrade,
} from './workflows/node-upgrade/plan.js';
export {
  ensurePlanImages,
  nodeUpgradePlanOf,
  readDesiredUnits,
} from './workflows/node-upgrade/plan-from-state.js';
export {
  DESIRED_RUNNING,
  diffChain,
  isStrandedRequest,
  type ReconcileAction,
  reconcileChain,
  type SweepResult,
  sweep,
} from './workflows/reconcile.js';
export { removeChain } from './workflows/remove-chain.js';
export { restartChain } from './workflows/restart-chain.js';
export { currentSeasonPlan, type SeasonResult } from './workflows/season/apply-season.js';
export {
  type IguanaChange,
  planSeason,
  type SeasonInputs,
  type SeasonPlan,
} from './workflows/season/plan-season.js';
export { ensureSeasonImages } from './workflows/season/season-images.js';
export { rollbackUpgrade, upgradeChain } from './workflows/upgrade-chain.js';

import type { NodeUpgradeJobData } from '@nn/orchestrator-core';
import type { Job } from 'bullmq';
import type { JobsDeps } from '../../context.js';
import { type NodeUpgradeResult, NodeUpgradeStopped, nodeUpgrade } from './node-upgrade.js';
import { runNodeJob } from './run-node-job.js';

/** Runs node.upgrade (runNodeJob); a rolled-back daemon's failure is reported as itself, with no step. */
export function processNodeUpgrade(
  deps: JobsDeps,
  job: Job,
  data: NodeUpgradeJobData,
  token?: string,
): Promise<NodeUpgradeResult> {
  return runNodeJob(
    deps,
    job,
    token,
    'node.upgrade',
    (run) => nodeUpgrade(run, data.images),
    (e, step) => (e instanceof NodeUpgradeStopped ? e.message : `${step}: ${e.message}`),
  );
}

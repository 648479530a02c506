import type { NodeWalletResetJobData } from '@nn/orchestrator-core';
import type { Job } from 'bullmq';
import type { JobsDeps } from '../../context.js';
import { runNodeJob } from '../node-upgrade/run-node-job.js';
import { type NodeWalletResetResult, nodeWalletReset } from './node-wallet-reset.js';

/** Runs node.wallet-reset under the node units' lease, as node.upgrade runs (runNodeJob). */
export function processNodeWalletReset(
  deps: JobsDeps,
  job: Job,
  data: NodeWalletResetJobData,
  token?: string,
): Promise<NodeWalletResetResult> {
  return runNodeJob(deps, job, token, 'node.wallet-reset', (run) => nodeWalletReset(run, data.target));
}

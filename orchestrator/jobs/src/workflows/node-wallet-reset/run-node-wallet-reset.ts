import type { NodeConsolidateJobData, NodeWalletResetJobData } from '@nn/orchestrator-core';
import type { Job } from 'bullmq';
import type { JobsDeps } from '../../context.js';
import { runNodeJob } from '../node-upgrade/run-node-job.js';
import { type NodeConsolidateResult, nodeConsolidate } from './node-consolidate.js';
import { type NodeWalletResetResult, nodeWalletReset } from './node-wallet-reset.js';

// The node wallets' jobs run under the node units' lease, as node.upgrade runs (runNodeJob): one of them
// at a time, and never while an upgrade stops the units they spend from.

export function processNodeWalletReset(
  deps: JobsDeps,
  job: Job,
  data: NodeWalletResetJobData,
  token?: string,
): Promise<NodeWalletResetResult> {
  return runNodeJob(deps, job, token, 'node.wallet-reset', (run) => nodeWalletReset(run, data.target));
}

export function processNodeConsolidate(
  deps: JobsDeps,
  job: Job,
  data: NodeConsolidateJobData,
  token?: string,
): Promise<NodeConsolidateResult> {
  return runNodeJob(deps, job, token, 'node.consolidate', (run) => nodeConsolidate(run, data.target));
}

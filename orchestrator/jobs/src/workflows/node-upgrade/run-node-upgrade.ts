import type { NodeUpgradeJobData } from '@nn/orchestrator-core';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { JobsDeps } from '../../context.js';
import { asJobError } from '../../errors.js';
import { nodeSecretValues, scrubSecrets } from '../../secrets/scrub.js';
import { type NodeJobRun, NodeUnitsBusyError, nodeJobRun, withNodeUnitsLease } from './node-context.js';
import { type NodeUpgradeResult, NodeUpgradeStopped, nodeUpgrade } from './node-upgrade.js';

/**
 * Runs node.upgrade under the node units' lease. Held by another job (or the units' reconcile): back to
 * delayed without using an attempt. A failed attempt is retried while retryable and attempts remain;
 * otherwise the job fails for good with a reason naming the step, scrubbed of the operator's secrets.
 * Between attempts the lease is free, so the reconcile brings back whatever the attempt left stopped.
 */
export async function processNodeUpgrade(
  deps: JobsDeps,
  job: Job,
  data: NodeUpgradeJobData,
  token?: string,
): Promise<NodeUpgradeResult> {
  let run: NodeJobRun | undefined;
  try {
    return await withNodeUnitsLease(deps, `job-${job.id ?? 'unknown'}`, async (signal) => {
      run = nodeJobRun(deps, job, signal);
      const result = await nodeUpgrade(run, data.images);
      deps.log.info({ jobId: job.id, result }, 'node upgrade done');
      return result;
    });
  } catch (err) {
    if (run === undefined && err instanceof NodeUnitsBusyError && token !== undefined) {
      await job.moveToDelayed(Date.now() + deps.config.busyDelayMs, token);
      throw new DelayedError();
    }
    const e = asJobError(err);
    const step = (run as NodeJobRun | undefined)?.progress.step ?? 'start';
    const text = e instanceof NodeUpgradeStopped ? e.message : `${step}: ${e.message}`;
    const reason = scrubSecrets(text, nodeSecretValues(deps));
    const last = !e.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    deps.log.warn({ jobId: job.id, step, code: e.code, last, reason }, 'node upgrade step failed');
    throw last ? new UnrecoverableError(reason) : new Error(reason);
  }
}

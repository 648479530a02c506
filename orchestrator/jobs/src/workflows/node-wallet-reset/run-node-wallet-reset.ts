import { loadNodeSecrets } from '@nn/node-units';
import type { NodeWalletResetJobData } from '@nn/orchestrator-core';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { JobsDeps } from '../../context.js';
import { asJobError } from '../../errors.js';
import { nodeSecretValues, scrubSecrets } from '../../secrets/scrub.js';
import {
  type NodeJobRun,
  NodeUnitsBusyError,
  nodeJobRun,
  withNodeUnitsLease,
} from '../node-upgrade/node-context.js';
import { readDesiredUnits } from '../node-upgrade/plan-from-state.js';
import { type NodeWalletResetResult, nodeWalletReset } from './node-wallet-reset.js';

/**
 * Runs node.wallet-reset under the node units' lease, as node.upgrade runs: held by another job (or the
 * units' reconcile) → back to delayed without using an attempt; a failed attempt retried while
 * retryable; the final reason names the step, scrubbed of the node's and the operator's secrets.
 */
export async function processNodeWalletReset(
  deps: JobsDeps,
  job: Job,
  data: NodeWalletResetJobData,
  token?: string,
): Promise<NodeWalletResetResult> {
  let run: NodeJobRun | undefined;
  try {
    return await withNodeUnitsLease(deps, `job-${job.id ?? 'unknown'}`, async (signal) => {
      run = nodeJobRun(deps, job, signal, 'node.wallet-reset');
      const result = await nodeWalletReset(run, data.target);
      deps.log.info({ jobId: job.id, result }, 'node wallet reset done');
      return result;
    });
  } catch (err) {
    if (run === undefined && err instanceof NodeUnitsBusyError && token !== undefined) {
      await job.moveToDelayed(Date.now() + deps.config.busyDelayMs, token);
      throw new DelayedError();
    }
    const e = asJobError(err);
    const step = (run as NodeJobRun | undefined)?.progress.step ?? 'start';
    const reason = scrubSecrets(`${step}: ${e.message}`, await unitSecretValues(deps));
    const last = !e.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    deps.log.warn({ jobId: job.id, step, code: e.code, last, reason }, 'node wallet reset step failed');
    throw last ? new UnrecoverableError(reason) : new Error(reason);
  }
}

/** The node units' own secrets (their WIF, passphrase, tokens) and the operator's, never in a reason. */
async function unitSecretValues(deps: JobsDeps): Promise<string[]> {
  const out = nodeSecretValues(deps);
  try {
    const desired = await readDesiredUnits(deps.state);
    if (!desired) return out;
    const s = loadNodeSecrets(desired.secretsDir);
    out.push(s.wif, s.passphrase, s.kmd.operator, s.kmd.viewer, s.kmd.rpcpassword);
    out.push(s.ltc.operator, s.ltc.viewer, s.ltc.rpcpassword, s.iguana.operator, s.iguana.viewer);
  } catch {
    // no recorded units: nothing of theirs was handled
  }
  return out;
}

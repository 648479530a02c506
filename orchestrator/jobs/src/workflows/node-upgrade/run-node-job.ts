import { loadNodeSecrets } from '@nn/node-units';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { JobsDeps } from '../../context.js';
import { asJobError } from '../../errors.js';
import { nodeSecretValues, scrubSecrets } from '../../secrets/scrub.js';
import {
  type NodeJobName,
  type NodeJobRun,
  NodeUnitsBusyError,
  nodeJobRun,
  withNodeUnitsLease,
} from './node-context.js';
import { readDesiredUnits } from './plan-from-state.js';

/** How a node job's failure reads: `<step>: <message>` unless the job's own error already says it all. */
export type NodeJobReason = (err: Error, step: string) => string;

/**
 * Runs a node-level job (node.upgrade, node.wallet-reset) under the node units' lease. Held by another job
 * (or the units' reconcile): back to delayed without using an attempt. A failed attempt is retried while
 * retryable and attempts remain; otherwise the job fails for good with a reason naming the step, scrubbed
 * of the node's and the operator's secrets. Between attempts the lease is free, so the reconcile brings
 * back whatever the attempt left stopped.
 */
export async function runNodeJob<T>(
  deps: JobsDeps,
  job: Job,
  token: string | undefined,
  name: NodeJobName,
  work: (run: NodeJobRun) => Promise<T>,
  reasonOf: NodeJobReason = (e, step) => `${step}: ${e.message}`,
): Promise<T> {
  let run: NodeJobRun | undefined;
  try {
    return await withNodeUnitsLease(deps, `job-${job.id ?? 'unknown'}`, async (signal) => {
      run = nodeJobRun(deps, job, signal, name);
      const result = await work(run);
      deps.log.info({ jobId: job.id, result }, `${name} done`);
      return result;
    });
  } catch (err) {
    if (run === undefined && err instanceof NodeUnitsBusyError && token !== undefined) {
      await job.moveToDelayed(Date.now() + deps.config.busyDelayMs, token);
      throw new DelayedError();
    }
    const e = asJobError(err);
    const step = (run as NodeJobRun | undefined)?.progress.step ?? 'start';
    const reason = scrubSecrets(reasonOf(e, step), await unitSecretValues(deps));
    const last = !e.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    deps.log.warn({ jobId: job.id, step, code: e.code, last, reason }, `${name} step failed`);
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

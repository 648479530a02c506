import type { JobViewBody } from '@nn/orchestrator-api/schemas';
import type { ApiClient } from './client.js';
import { CliError, EXIT } from './io.js';
import type { ProgressDisplay } from './output/progress.js';

const FINAL = new Set(['completed', 'failed', 'unknown']);
/** Round length per job still waited for (the API allows 600 requests a minute per key by default). */
const PER_JOB_MS = 200;

function isRateLimited(err: unknown): boolean {
  if (!(err instanceof CliError)) return false;
  const body = err.body as { error?: { code?: unknown } } | undefined;
  return body?.error?.code === 'rate_limited';
}

export interface WaitOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** How long the API may stay unreachable (restarting) before the wait gives up. */
  readonly unavailableMs: number;
}

/**
 * Polls every job until each has completed or failed, showing progress; returns the final views in the
 * order given. A job that vanished (removed from the queue) counts as failed.
 */
export async function waitForJobs(
  client: ApiClient,
  jobIds: readonly string[],
  display: ProgressDisplay,
  options: WaitOptions,
): Promise<JobViewBody[]> {
  const done = new Map<string, JobViewBody>();
  const deadline = Date.now() + options.timeoutMs;
  let awaySince: number | undefined;
  try {
    for (;;) {
      for (const id of jobIds) {
        if (done.has(id)) continue;
        let job: JobViewBody;
        try {
          job = await client.call('getJob', { params: { id } });
          awaySince = undefined;
        } catch (err) {
          // The API or its Redis restarting is not the job failing: keep waiting, for a while.
          if (isRateLimited(err)) {
            // Polling many jobs can meet the API's per-key limit: slow down instead of failing.
            await new Promise((r) => setTimeout(r, 2_000));
            break;
          }
          awaySince ??= Date.now();
          const away = Date.now() - awaySince;
          if (!(err instanceof CliError && err.exitCode === EXIT.unavailable) || away > options.unavailableMs)
            throw err;
          break;
        }
        display.update(job);
        if (FINAL.has(job.state)) done.set(id, job);
      }
      if (done.size === jobIds.length) return jobIds.map((id) => done.get(id) as JobViewBody);
      if (Date.now() > deadline)
        throw new CliError(
          `gave up waiting after ${Math.round(options.timeoutMs / 1000)} s; the jobs go on (nnctl jobs)`,
          EXIT.unavailable,
        );
      // One request per unfinished job per round: keep a long wait at a few requests a second.
      const pending = jobIds.length - done.size;
      await new Promise((r) => setTimeout(r, Math.max(options.intervalMs, pending * PER_JOB_MS)));
    }
  } finally {
    display.end();
  }
}

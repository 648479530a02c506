import type { JobViewBody } from '@nn/orchestrator-api/schemas';
import type { ApiClient } from './client.js';
import { CliError, EXIT } from './io.js';
import type { ProgressDisplay } from './output/progress.js';

const FINAL = new Set(['completed', 'failed', 'unknown']);

export interface WaitOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
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
  try {
    for (;;) {
      for (const id of jobIds) {
        if (done.has(id)) continue;
        const job = await client.call('getJob', { params: { id } });
        display.update(job);
        if (FINAL.has(job.state)) done.set(id, job);
      }
      if (done.size === jobIds.length) return jobIds.map((id) => done.get(id) as JobViewBody);
      if (Date.now() > deadline)
        throw new CliError(
          `gave up waiting after ${Math.round(options.timeoutMs / 1000)} s; the jobs go on (nnctl jobs)`,
          EXIT.unavailable,
        );
      await new Promise((r) => setTimeout(r, options.intervalMs));
    }
  } finally {
    display.end();
  }
}

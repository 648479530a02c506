import { cleanEarlierRuns, cleanRun, ensureOwner, readOwner, runId } from '@nn/testkit';

/**
 * Global set-up of both projects: gives this `vitest run` its run id (NN_TEST_RUN, inherited by every
 * worker and child) and its run dir, then removes what earlier runs that were killed left behind (see
 * @nn/testkit cleanup.ts). A run whose vitest still runs is never touched. At the end the run removes
 * its own strays the same way.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const run = runId();
  // Both projects register this file: the second call in the same process has nothing left to do.
  if (readOwner(run)?.pid === process.pid) return undefined;
  ensureOwner(run);
  const report = await cleanEarlierRuns([run]);
  if (report.runs.length > 0)
    console.log(`removed the leftovers of earlier test runs: ${JSON.stringify(report)}`);
  for (const failure of report.failed) console.warn(`could not remove the leftovers of test run ${failure}`);
  return async () => {
    // What an earlier run left that the engine refused at the start (a network whose endpoints it had
    // not released yet) is tried again now.
    const late = await cleanEarlierRuns([run]);
    if (late.runs.length > 0) console.log(`removed the rest of earlier test runs: ${JSON.stringify(late)}`);
    const own = await cleanRun(run, { ending: true });
    const strays = own.processes + own.containers + own.volumes + own.networks + own.devnets + own.clusters;
    if (strays > 0) console.log(`removed strays of this test run: ${JSON.stringify(own)}`);
  };
}

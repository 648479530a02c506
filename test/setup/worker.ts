import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readOwner, recordPid, runDir, runId } from '@nn/testkit';

// Each vitest worker process records its pid in the run dir, so a run whose main process was killed
// does not leave workers running its tests unnoticed (the next run's clean-up stops them). A worker
// runs many files: the first one records it.
const run = runId();
if (readOwner(run)?.pid !== process.pid && !existsSync(join(runDir(run), 'pids', `${process.pid}.json`))) {
  const file = recordPid(process.pid, { worker: true });
  if (file) process.once('exit', () => rmSync(file, { force: true }));
}

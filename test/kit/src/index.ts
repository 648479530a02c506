export { type CleanupReport, cleanEarlierRuns, cleanRun, isRunAlive } from './cleanup.js';
export { eventually } from './eventually.js';
export { fixturePath, REPO_ROOT } from './fixtures.js';
export { removeDocker } from './leftovers-docker.js';
export { removeRedisKeys, TEST_REDIS_URL } from './leftovers-redis.js';
export { freePort, freePorts } from './ports.js';
export { commandLine, isSameProcess, stopPid } from './proc.js';
export { type PidRecord, ProcessTracker, readPids, recordPid, trackProcess } from './processes.js';
export {
  type Claim,
  claim,
  ensureOwner,
  newRunId,
  RUNS_DIR,
  type RunOwner,
  readOwner,
  runDir,
  runId,
  runPrefix,
} from './run.js';
export { type ProcessRun, type RunProcessOptions, runProcess } from './run-process.js';

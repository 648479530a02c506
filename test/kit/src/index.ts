export {
  type CleanupReport,
  cleanEarlierRuns,
  cleanRun,
  isRunAlive,
  readClaims,
  removeClaimed,
} from './cleanup.js';
export { eventually } from './eventually.js';
export { fixturePath, REPO_ROOT } from './fixtures.js';
export { type DockerFound, type DockerSelector, findDocker, removeDocker } from './leftovers-docker.js';
export { removeRedisKeys, TEST_REDIS_URL } from './leftovers-redis.js';
export { LogCapture } from './log-capture.js';
export { freePort, freePorts } from './ports.js';
export { commandLine, descendants, isSameProcess, stopPid, stopTree } from './proc.js';
export { type PidRecord, readPids, recordPid, trackProcess } from './processes.js';
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
export { type StartedProcess, startProcess } from './start-process.js';
export { ProcessTracker } from './tracker.js';

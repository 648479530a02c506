import { OrchestratorError } from './orchestrator-error.js';

/**
 * What a job does with an error: `retry` (with backoff, bounded by the job's attempts) or `fail` (now, and
 * roll back). Errors that are not ours (a socket reset, a Docker API 500) are assumed to be passing.
 */
export function errorDisposition(err: unknown): 'retry' | 'fail' {
  if (err instanceof OrchestratorError) return err.retryable ? 'retry' : 'fail';
  return 'retry';
}

import { DependencyDownError } from './dependency-down-error.js';
import { OrchestratorError } from './orchestrator-error.js';

/**
 * What a job does with an error: `wait` (a dependency is down: try again with a capped backoff, without
 * using an attempt, for as long as it may come back), `retry` (with backoff, bounded by the job's
 * attempts) or `fail` (now, and roll back). Errors that are not ours (a socket reset, a Docker API 500)
 * are assumed to be passing.
 */
export function errorDisposition(err: unknown): 'wait' | 'retry' | 'fail' {
  if (err instanceof DependencyDownError) return 'wait';
  if (err instanceof OrchestratorError) return err.retryable ? 'retry' : 'fail';
  return 'retry';
}

/**
 * The wait before try `n` (1 = the first retry) after a dependency was down: `baseMs` doubled each
 * time, never more than `maxMs`. Pure: tested alone.
 */
export function dependencyBackoffMs(n: number, baseMs: number, maxMs: number): number {
  const exp = Math.max(0, Math.min(30, Math.floor(n) - 1));
  return Math.min(maxMs, baseMs * 2 ** exp);
}

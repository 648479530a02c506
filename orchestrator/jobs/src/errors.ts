import {
  DependencyDownError,
  OrchestratorError,
  PermanentError,
  TransientError,
} from '@nn/orchestrator-core';
import { RuntimeError } from '@nn/runtime';
import { SecretFileError } from '@nn/shared';

// The runtime's typed errors become the two job outcomes: retry (the engine may come back) or fail and
// roll back (retrying cannot fix a missing image, a foreign resource or a taken port).

const PERMANENT_RUNTIME_CODES = new Set([
  'INVALID_SPEC',
  'NODE_NOT_FOUND',
  'UNIT_CONFLICT',
  'NOT_OWNED',
  'PORT_CONFLICT',
  'IMAGE_UNAVAILABLE',
]);

/** Socket errors of an engine that went away mid-call (crashed, restarting): not the call's fault. */
const CONNECTION_LOST = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

function isConnectionLost(cause: unknown): boolean {
  if (!(cause instanceof Error)) return false;
  const code = (cause as { code?: unknown }).code;
  return (typeof code === 'string' && CONNECTION_LOST.has(code)) || cause.message === 'socket hang up';
}

/** The error as an OrchestratorError (Transient or Permanent unless it already is one). */
export function asJobError(err: unknown): OrchestratorError {
  if (err instanceof OrchestratorError) return err;
  if (err instanceof RuntimeError) {
    // An engine that does not answer (crashed, restarting, its link down) comes back: wait for it.
    if (err.code === 'NODE_UNREACHABLE' || (err.code === 'ENGINE_ERROR' && isConnectionLost(err.cause)))
      return new DependencyDownError('engine', err.message, { cause: err });
    return PERMANENT_RUNTIME_CODES.has(err.code)
      ? new PermanentError(err.message, { cause: err })
      : new TransientError(err.message, { cause: err });
  }
  // A secret file of the operator's (WIF, tokens) that is missing or readable by others: a config fix.
  if (err instanceof SecretFileError) return new PermanentError(err.message, { cause: err });
  if (err instanceof Error && err.name === 'AbortError') return new TransientError('interrupted');
  // The state store's commands fail fast while Redis restarts (maxRetriesPerRequest): wait for it.
  if (
    err instanceof Error &&
    (err.name === 'MaxRetriesPerRequestError' || err.message === 'Connection is closed.')
  )
    return new DependencyDownError('redis', `Redis: ${err.message}`, { cause: err });
  return new TransientError(err instanceof Error ? err.message : String(err), { cause: err });
}

/**
 * A chain job's attempt that met a dependency that was down: the worker moves the job back to delayed
 * for `delayMs` without using an attempt (BullMQ's DelayedError), and nothing is rolled back.
 */
export class WaitForDependency extends Error {
  override readonly name = 'WaitForDependency';
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

import { OrchestratorError, PermanentError, TransientError } from '@nn/orchestrator-core';
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

/** The error as an OrchestratorError (Transient or Permanent unless it already is one). */
export function asJobError(err: unknown): OrchestratorError {
  if (err instanceof OrchestratorError) return err;
  if (err instanceof RuntimeError) {
    return PERMANENT_RUNTIME_CODES.has(err.code)
      ? new PermanentError(err.message, { cause: err })
      : new TransientError(err.message, { cause: err });
  }
  // A secret file of the operator's (WIF, tokens) that is missing or readable by others: a config fix.
  if (err instanceof SecretFileError) return new PermanentError(err.message, { cause: err });
  if (err instanceof Error && err.name === 'AbortError') return new TransientError('interrupted');
  return new TransientError(err instanceof Error ? err.message : String(err), { cause: err });
}

import { OrchestratorError } from './orchestrator-error.js';

/** A failure retrying cannot fix (image missing, daemon refuses its flags): fail the job and roll back. */
export class PermanentError extends OrchestratorError {
  override readonly name = 'PermanentError';
  readonly code = 'permanent' as const;
  readonly httpStatus = 500;
  readonly retryable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

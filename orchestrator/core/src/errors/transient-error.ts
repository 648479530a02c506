import { OrchestratorError } from './orchestrator-error.js';

/** A failure that may pass on its own (engine unreachable, daemon warming up, lock held): retry with backoff. */
export class TransientError extends OrchestratorError {
  override readonly name: string = 'TransientError';
  readonly code = 'transient' as const;
  readonly httpStatus = 503;
  readonly retryable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

import { OrchestratorError } from './orchestrator-error.js';

/**
 * Data read back from the state store does not pass its schema: someone wrote the key by hand, or an old
 * version left another layout. Never retried: the same bytes will fail the same way.
 */
export class CorruptStateError extends OrchestratorError {
  override readonly name = 'CorruptStateError';
  readonly code = 'corrupt_state' as const;
  readonly httpStatus = 500;
  readonly retryable = false;

  constructor(
    /** The store key (and field) that holds the bad data. */
    readonly location: string,
    readonly reason: string,
  ) {
    super(`corrupt state at ${location}: ${reason}`);
  }

  override toJSON() {
    return { code: this.code, message: this.message, location: this.location };
  }
}

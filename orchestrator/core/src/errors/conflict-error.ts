import { OrchestratorError } from './orchestrator-error.js';

/**
 * The request clashes with existing state: a duplicate chain identity, a stale version in an optimistic
 * update, a chain already being worked on. 409; not retried by the job itself.
 */
export class ConflictError extends OrchestratorError {
  override readonly name = 'ConflictError';
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;
  readonly retryable = false;

  constructor(
    /** The input field the clash is about (e.g. `ac_name`), or the state item (`version`). */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }

  override toJSON() {
    return { code: this.code, message: this.message, field: this.field, reason: this.reason };
  }
}

/** What a job or an API request does with an error: the code picks the HTTP status and the job outcome. */
export type OrchestratorErrorCode =
  | 'validation'
  | 'conflict'
  | 'not_found'
  | 'capacity'
  | 'placement'
  | 'transient'
  | 'permanent'
  | 'corrupt_state';

/**
 * Base of every error the orchestrator raises on purpose. `retryable` drives BullMQ: a retryable error
 * lets the job try again with backoff; anything else fails the job (and its rollback runs).
 */
export abstract class OrchestratorError extends Error {
  abstract readonly code: OrchestratorErrorCode;
  abstract readonly httpStatus: number;
  abstract readonly retryable: boolean;

  /** A plain object safe to put in an API reply or a job's failure reason (no stack, no cause). */
  toJSON(): { code: OrchestratorErrorCode; message: string } & Record<string, unknown> {
    return { code: this.code, message: this.message };
  }
}

import { OrchestratorError } from './orchestrator-error.js';

/** A referenced chain, node or job does not exist. 404 (or 400 naming `field` when it came in a body). */
export class NotFoundError extends OrchestratorError {
  override readonly name = 'NotFoundError';
  readonly code = 'not_found' as const;
  readonly httpStatus = 404;
  readonly retryable = false;

  constructor(
    /** The field that held the reference, e.g. `node` or `chainId`. */
    readonly field: string,
    /** What kind of thing was looked for: `node`, `chain`, `job`. */
    readonly kind: string,
    readonly ref: string,
  ) {
    super(`${field}: ${kind} "${ref}" does not exist`);
  }

  override toJSON() {
    return { code: this.code, message: this.message, field: this.field, kind: this.kind, ref: this.ref };
  }
}

import { OrchestratorError } from './orchestrator-error.js';

/** One rejected input field: a dotted path (`entry.ac_supply`, '' for the whole value) and why. */
export interface FieldIssue {
  readonly field: string;
  readonly reason: string;
}

/** Input that can never be accepted as given: 400, and a job fails at once (retrying cannot help). */
export class ValidationError extends OrchestratorError {
  override readonly name = 'ValidationError';
  readonly code = 'validation' as const;
  readonly httpStatus = 400;
  readonly retryable = false;
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[] | FieldIssue) {
    const list = Array.isArray(issues) ? issues : [issues as FieldIssue];
    if (list.length === 0) throw new TypeError('ValidationError needs at least one issue');
    super(list.map(formatIssue).join('; '));
    this.issues = list;
  }

  /** The first rejected field. */
  get field(): string {
    return (this.issues[0] as FieldIssue).field;
  }

  /** Why the first field was rejected. */
  get reason(): string {
    return (this.issues[0] as FieldIssue).reason;
  }

  override toJSON() {
    return { code: this.code, message: this.message, issues: this.issues.map((i) => ({ ...i })) };
  }
}

function formatIssue(issue: FieldIssue): string {
  return issue.field === '' ? issue.reason : `${issue.field}: ${issue.reason}`;
}

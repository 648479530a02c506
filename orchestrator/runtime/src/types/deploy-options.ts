/** Steps of deployUnit, in order, reported after each is done. */
export type DeployStep =
  | 'checked'
  | 'volume'
  | 'sidecar-created'
  | 'files'
  | 'sidecar-started'
  | 'daemon-created'
  | 'daemon-started';

export interface DeployOptions {
  /**
   * Called after each step, for per-step job progress. If it throws, deployUnit stops right there and
   * rethrows without undoing anything, exactly like a crash would: the next deployUnit finishes the
   * unit (the conformance suite uses this to prove idempotence at every step).
   */
  readonly onStep?: (step: DeployStep) => void | Promise<void>;
}

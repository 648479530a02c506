import { TransientError } from './transient-error.js';

/** What a step may wait for: the node's own units, an engine, the state store. */
export type Dependency = 'iguana' | 'kmd' | 'destination' | 'engine' | 'redis';

/**
 * A step failed because something it depends on is down (Iguana not answering, an engine away, Redis
 * restarting), not because of anything in the job. The job waits and tries again with a capped backoff
 * for as long as the dependency may come back, without using up its attempts and without a rollback:
 * a chain that was ready stays as it is until its dependency returns.
 */
export class DependencyDownError extends TransientError {
  override readonly name = 'DependencyDownError';

  constructor(
    readonly dependency: Dependency,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  override toJSON() {
    return { ...super.toJSON(), dependency: this.dependency };
  }
}

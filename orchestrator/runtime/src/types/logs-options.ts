/** Which of a unit's containers: the daemon (the chain's own log) or its sidecar. */
export type UnitContainer = 'daemon' | 'sidecar';

export interface LogsOptions {
  /** Default 'daemon'. */
  readonly container?: UnitContainer;
  /** Keep the stream open for new lines until aborted or the container goes away. Default false. */
  readonly follow?: boolean;
  /** Only lines logged at or after this time (to the second). Default: the whole retained log. */
  readonly since?: Date;
  /** Only the last N lines before following. Default: all. */
  readonly tail?: number;
  /** Ends the stream (the iteration then just ends). */
  readonly signal?: AbortSignal;
}

/** A piece of a container's output as written (not split into lines), from one of its streams. */
export interface LogChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

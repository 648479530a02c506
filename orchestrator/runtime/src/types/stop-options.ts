export interface StopOptions {
  /** Seconds to wait for the daemon before a kill. Default: the unit's stopTimeoutSec (300). */
  readonly timeoutSec?: number;
}

export interface RemoveOptions extends StopOptions {
  /** Also delete the data volume (chain data, wallet). Default false: data outlives the unit. */
  readonly volumes?: boolean;
  /**
   * Only the unit's copy on this node (a drain's old node, a lost node's stale copy once its engine is
   * back). Default: wherever the unit is. Where a unit exists once cluster-wide (Kubernetes), it is
   * removed only when it runs on this node.
   */
  readonly node?: string;
}

export interface ListOptions {
  /** Only units whose spec labels include all of these. Default: every unit. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Only units on this node. Default: every reachable node. */
  readonly node?: string;
}

export interface EventsOptions {
  /** Ends the iteration. */
  readonly signal?: AbortSignal;
  /** Replay events since this time (engines keep a bounded backlog). Default: from now. */
  readonly since?: Date;
}

/** What the runtime observes of one of a unit's containers. */
export interface ContainerState {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  /** created | running | paused | restarting | exited | dead */
  readonly status: string;
  readonly running: boolean;
  /** healthy | unhealthy | starting, or null without a HEALTHCHECK. */
  readonly health: string | null;
  readonly exitCode: number | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  /** Seconds a stop waits before a kill, as the engine will apply it. */
  readonly stopTimeoutSec: number | null;
  readonly specHash: string | null;
}

/**
 * - running: both containers run and the daemon is in the sidecar's current network namespace;
 * - degraded: both run, but the sidecar restarted after the daemon joined it, so the daemon sits in a
 *   dead namespace: restartUnit fixes it (a reconcile job should);
 * - stopped: both exist, neither runs;
 * - partial: one is missing, or only one runs (after a crash or a kill).
 */
export type UnitState = 'running' | 'degraded' | 'stopped' | 'partial';

export interface UnitHandle {
  readonly name: string;
  readonly node: string;
  readonly state: UnitState;
  readonly sidecar: ContainerState | null;
  readonly daemon: ContainerState | null;
  /** The data volume's name (it may outlive the containers). */
  readonly volume: string;
  /** The sidecar API as other nodes and the orchestrator reach it: http://<node address>:<host port>. */
  readonly endpoint: string | null;
  /** The sidecar API for units on the same node, through the cluster network's DNS: http://<name>-sidecar:<port>. */
  readonly localEndpoint: string;
  /** The labels given in the spec (ownership keys removed). */
  readonly labels: Readonly<Record<string, string>>;
}

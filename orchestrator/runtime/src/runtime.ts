import type { DeployOptions } from './types/deploy-options.js';
import type { LogChunk, LogsOptions } from './types/logs-options.js';
import type { MoveFileOutcome } from './types/move-file.js';
import type { NodeInfo } from './types/node-info.js';
import type { OwnedResource } from './types/owned-resource.js';
import type { RuntimeEvent } from './types/runtime-event.js';
import type { EventsOptions, ListOptions, RemoveOptions, StopOptions } from './types/stop-options.js';
import type { UnitFile } from './types/unit-file.js';
import type { UnitHandle } from './types/unit-handle.js';
import type { UnitSpec } from './types/unit-spec.js';
import type { VolumeTransfer } from './types/volume-transfer.js';

/**
 * Where units run: Docker (one or several engines), later Swarm and Kubernetes. Every adapter passes
 * `runtimeConformance` (`@nn/runtime/conformance`).
 *
 * Contract for every method:
 * - It touches only resources it can prove it made (ownership labels); anything else with a clashing
 *   name is a NotOwnedError and stays as it was.
 * - Bad input is an InvalidSpecError (or NodeNotFoundError) before anything is made.
 * - Errors are RuntimeError subclasses with a `code`.
 * - Secrets reach units only as files (putFiles / UnitSpec.files), never env or args, and are never logged.
 */
export interface Runtime {
  /** Short adapter name for logs and metrics: 'docker', 'swarm', 'kubernetes'. */
  readonly kind: string;

  /** Every configured node, reachable or not, with capacity when it answers. */
  nodes(): Promise<NodeInfo[]>;

  /** Creates the cluster network on every reachable node if missing. Default name 'nn-cluster'. */
  ensureNetwork(name?: string): Promise<void>;

  /**
   * Removes the owned cluster network from every reachable node where no container uses it (a node
   * still using it keeps it). NotOwnedError for a foreign network of that name.
   */
  removeNetwork(name?: string): Promise<void>;

  /**
   * Makes `ref` present on `node`. Offline clusters have no registry: a missing image is streamed from
   * a node that has it. ImageUnavailableError when no reachable node has it.
   */
  ensureImage(node: string, ref: string): Promise<void>;

  /** Creates the volume if missing (owned, labelled for `unit`); NotOwnedError if a foreign one has the name. */
  ensureVolume(
    node: string,
    name: string,
    unit: string,
    labels?: Readonly<Record<string, string>>,
  ): Promise<void>;

  /** Writes files into an owned volume (modes and owners as given); the volume must exist. */
  putFiles(node: string, volume: string, files: readonly UnitFile[]): Promise<void>;

  /**
   * Renames a file inside an owned volume (paths relative to its root, no `..`), never overwriting:
   * the wallet reset sets `wallet.dat` aside this way while the unit is stopped. The file's bytes,
   * mode and owner are kept. VolumeNotFoundError for a volume that is missing or not owned; the
   * outcome says what was found (see MoveFileOutcome), so a re-run is safe.
   */
  moveFile(node: string, volume: string, from: string, to: string): Promise<MoveFileOutcome>;

  /**
   * Copies an owned data volume from node `from` to node `to` (made there if missing, owned and
   * labelled for `unit` like the source), streamed engine to engine as images are, never whole in
   * memory; files keep their modes and owners. Stop-first: VolumeInUseError while a running container
   * mounts it on either node. Files already in the target are overwritten, so a re-run after a crash
   * copies again; the source stays as it was. VolumeNotFoundError when the source is missing or not
   * owned, NodeUnreachableError when either engine does not answer, InvalidSpecError when from = to,
   * NotSupportedError on an adapter without per-node volumes (Kubernetes: a claim follows its pod).
   */
  transferVolume(from: string, to: string, volume: string, unit: string): Promise<VolumeTransfer>;

  /**
   * Creates and starts the unit, or finishes it: idempotent by name, whatever step a previous call
   * crashed at. Leftover containers made from a different spec are replaced (only when owned).
   * PortConflictError if a host port is taken, with nothing made by this call left behind;
   * UnitConflictError if the unit exists on another node.
   */
  deployUnit(spec: UnitSpec, options?: DeployOptions): Promise<UnitHandle>;

  /** The unit as observed. UnitNotFoundError when neither container exists. */
  inspectUnit(name: string): Promise<UnitHandle>;

  /** Units found by their labels across reachable nodes. */
  listUnits(options?: ListOptions): Promise<UnitHandle[]>;

  /** Graceful stop: the daemon first with a long timeout (default the unit's, 300 s), then the sidecar. */
  stopUnit(name: string, options?: StopOptions): Promise<UnitHandle>;

  /** Graceful restart of both, in order (sidecar first: it owns the namespace the daemon joins). */
  restartUnit(name: string, options?: StopOptions): Promise<UnitHandle>;

  /**
   * Graceful stop, then removal of the containers; the data volume only with `volumes: true`; only the
   * copy on `node` when given. Idempotent.
   */
  removeUnit(name: string, options?: RemoveOptions): Promise<void>;

  /**
   * The log of one of the unit's containers (the daemon's by default), once ownership is proven:
   * UnitNotFoundError for a unit it does not own or that is gone, NotOwnedError for a foreign container
   * of the unit's name, both before the first chunk. With `follow` it ends when the signal aborts.
   */
  logs(name: string, options?: LogsOptions): Promise<AsyncIterable<LogChunk>>;

  /** Everything the runtime owns, for sweeps and for counting before/after in tests. */
  listOwned(): Promise<OwnedResource[]>;

  /** Events of owned unit containers on every node, merged; reconnects by itself until aborted. */
  events(options?: EventsOptions): AsyncIterable<RuntimeEvent>;

  /** Releases connections (event streams end). */
  close(): Promise<void>;
}

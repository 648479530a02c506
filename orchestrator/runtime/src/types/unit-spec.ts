import type { ContainerSpec } from './container-spec.js';
import type { PortMapping } from './port-mapping.js';
import type { UnitFile } from './unit-file.js';
import type { UnitMount } from './unit-mount.js';

/**
 * Everything needed to run one unit: a daemon plus its sidecar, sharing one network namespace (the
 * sidecar's: it must write the daemon's upstream conf files and open its loopback bridges before the
 * daemon starts) and one data volume. `deployUnit` is idempotent by `name`.
 */
export interface UnitSpec {
  /**
   * Unit name, unique across the runtime: 2-48 of `a-z 0-9 -`, starting and ending with a letter or
   * digit. Docker names derive from it: `<name>-sidecar`, `<name>-daemon`, volume `<name>-data`.
   */
  readonly name: string;
  /** The node (engine) the unit runs on. */
  readonly node: string;
  /** Cluster network the sidecar joins. Default 'nn-cluster' (see Runtime.ensureNetwork). */
  readonly network?: string;
  /** Extra labels on the unit's containers and volume (e.g. nn.chain). The nn.* ownership keys are reserved. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly sidecar: ContainerSpec & {
    /** The sidecar API's port inside the unit. Default 8080. */
    readonly port?: number;
    /** Port on the node's cluster address where other nodes reach the sidecar API. */
    readonly hostPort: number;
  };
  readonly daemon: ContainerSpec;
  /** p2p ports, published on the node's cluster address. Default none. */
  readonly ports?: readonly PortMapping[];
  /** The data volume. Defaults: name `<name>-data`, mounted at `/data` in both containers. */
  readonly volume?: { readonly name?: string; readonly mountPath?: string };
  /**
   * Further volumes mounted into the daemon (not the sidecar), shared with other units. Default none.
   * Removing the unit that made one with `volumes` removes it too, unless another unit still mounts it.
   */
  readonly mounts?: readonly UnitMount[];
  /**
   * Files put into the volume before the sidecar starts, by every deploy that starts it (a running unit
   * is left alone; changed contents change the spec, which replaces the unit). Default none.
   */
  readonly files?: readonly UnitFile[];
  /**
   * Seconds a stop waits for the daemon to exit before it is killed. Default 300: komodod must flush
   * its state, and a kill after Docker's 10 s default can cost a long rescan.
   */
  readonly stopTimeoutSec?: number;
  /** Memory limit of the daemon in bytes. Default none. */
  readonly memoryBytes?: number;
  /** CPU limit of the daemon (e.g. 1.5). Default none. */
  readonly cpus?: number;
  /** Docker-style restart policy of both containers. Default 'unless-stopped'. */
  readonly restart?: 'no' | 'on-failure' | 'unless-stopped' | 'always';
  /**
   * Size limits of each container's log, so a daemon's debug log can never fill a notary server's disk.
   * Default 20 MB per file, 10 files (what the community's notary compose files use): at most 200 MB
   * per container. Docker cannot change a container's log settings, so a change replaces the unit.
   */
  readonly logs?: UnitLogLimits;
}

/** Rotation of a container's log: `maxFiles` files of at most `maxSizeMb` MB each. */
export interface UnitLogLimits {
  /** Megabytes per log file, 1-1024. Default 20. */
  readonly maxSizeMb?: number;
  /** Files kept, 1-100 (the oldest is dropped). Default 10. */
  readonly maxFiles?: number;
}

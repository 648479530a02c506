/** A node of the runtime: a Docker engine (a Kubernetes node once that adapter exists). */
export interface NodeInfo {
  /** Name from the runtime's config; unique. */
  readonly name: string;
  /** The node's address on the cluster network: published ports listen there. */
  readonly address: string;
  /** Labels from the config (placement constraints), merged over the engine's own labels. */
  readonly labels: Readonly<Record<string, string>>;
  readonly reachable: boolean;
  /** null when the node does not answer. */
  readonly capacity: {
    readonly memoryBytes: number;
    readonly cpus: number;
    /** From the config when given; engines do not report free disk. */
    readonly diskBytes: number | null;
  } | null;
  /** Engine version, for support; null when unreachable. */
  readonly version: string | null;
  /** Why the node is unreachable, when it is. */
  readonly error: string | null;
}

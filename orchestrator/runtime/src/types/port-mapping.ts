/** A port published on the node's cluster address. Only sidecar APIs and p2p ports are published. */
export interface PortMapping {
  /** Port inside the unit (the unit's shared network namespace). */
  readonly container: number;
  /** Port on the node; allocating it is the orchestrator's job (its state), not the runtime's. */
  readonly host: number;
  /** Default 'tcp'. */
  readonly protocol?: 'tcp' | 'udp';
}

import { OrchestratorError } from './orchestrator-error.js';

/** Why one candidate node was not chosen; collected so the final error explains every refusal. */
export interface NodeRefusal {
  readonly node: string;
  readonly reason: string;
}

/**
 * No node can take the chain for a reason other than plain lack of capacity: its p2p port is already
 * published on every candidate, it is outside their port ranges, no node matches the constraints.
 * 409: the desired state must change (another node, a removed chain) before it can succeed.
 */
export class PlacementError extends OrchestratorError {
  override readonly name: string = 'PlacementError';
  readonly code: 'placement' | 'capacity' = 'placement';
  readonly httpStatus: number = 409;
  readonly retryable = false;

  constructor(
    readonly chainId: string,
    readonly refusals: readonly NodeRefusal[],
    summary = 'no node can take this chain',
  ) {
    super(
      refusals.length === 0
        ? `${chainId}: ${summary}`
        : `${chainId}: ${summary} (${refusals.map((r) => `${r.node}: ${r.reason}`).join('; ')})`,
    );
  }

  override toJSON() {
    return {
      code: this.code,
      message: this.message,
      chainId: this.chainId,
      refusals: this.refusals.map((r) => ({ ...r })),
    };
  }
}

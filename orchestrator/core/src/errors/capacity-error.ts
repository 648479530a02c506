import { type NodeRefusal, PlacementError } from './placement-error.js';

/**
 * Every candidate node lacks the memory, disk or free ports the chain needs. A PlacementError, told apart
 * so operators know adding a node (or removing chains) is the fix. 507 Insufficient Storage is the closest
 * HTTP status for "the cluster is full".
 */
export class CapacityError extends PlacementError {
  override readonly name = 'CapacityError';
  override readonly code = 'capacity' as const;
  override readonly httpStatus = 507;

  constructor(chainId: string, refusals: readonly NodeRefusal[]) {
    super(chainId, refusals, 'no node has capacity for this chain');
  }
}

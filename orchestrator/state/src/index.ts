export { type ChainPatch, ChainRepository, type MutateOptions } from './chain-repository.js';
export { deletePrefixed } from './delete-prefixed.js';
export { DEFAULT_PREFIX, type StateKeys, stateKeys } from './keys.js';
export { ChainLeases, type Lease, type LeaseOptions } from './leases.js';
export { LiveStatusStore, type LiveSubject } from './live-status.js';
export { NodeRepository, type NodeUsage } from './node-repository.js';
export { PendingMarkers } from './pending-markers.js';
export { PlacementService } from './placement-service.js';
export { createStateStore, type StateStore, type StateStoreOptions } from './state-store.js';

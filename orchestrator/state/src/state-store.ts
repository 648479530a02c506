import type { Redis } from 'ioredis';
import { ChainRepository } from './chain-repository.js';
import { ChoreClaims } from './chore-claims.js';
import { DEFAULT_PREFIX, type StateKeys, stateKeys } from './keys.js';
import { ChainLeases } from './leases.js';
import { LiveStatusStore } from './live-status.js';
import { NodeRepository } from './node-repository.js';
import { NodeUnitsStore } from './node-units-store.js';
import { PendingMarkers } from './pending-markers.js';
import { PlacementService } from './placement-service.js';
import { RepairLog } from './repair-log.js';

export interface StateStoreOptions {
  /** Key prefix; default `nn:`. Use a hash tag (`{nn}:`) on Redis Cluster so scripts see one slot. */
  readonly prefix?: string;
}

export interface StateStore {
  readonly keys: StateKeys;
  readonly chains: ChainRepository;
  readonly nodes: NodeRepository;
  readonly placement: PlacementService;
  readonly leases: ChainLeases;
  readonly pending: PendingMarkers;
  readonly live: LiveStatusStore;
  readonly chores: ChoreClaims;
  readonly nodeUnits: NodeUnitsStore;
  readonly repairs: RepairLog;
}

/** The whole desired-state store over one ioredis connection (not a subscriber or blocking connection). */
export function createStateStore(redis: Redis, options: StateStoreOptions = {}): StateStore {
  const keys = stateKeys(options.prefix ?? DEFAULT_PREFIX);
  const chains = new ChainRepository(redis, keys);
  const nodes = new NodeRepository(redis, keys);
  return {
    keys,
    chains,
    nodes,
    placement: new PlacementService(redis, keys, chains, nodes),
    leases: new ChainLeases(redis, keys),
    pending: new PendingMarkers(redis, keys),
    live: new LiveStatusStore(redis, keys),
    chores: new ChoreClaims(redis, keys),
    nodeUnits: new NodeUnitsStore(redis, keys),
    repairs: new RepairLog(redis, keys),
  };
}

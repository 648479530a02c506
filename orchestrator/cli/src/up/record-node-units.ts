import type { NodeUnitsDesired } from '@nn/node-units';
import { createStateStore } from '@nn/orchestrator-state';
import { Redis } from 'ioredis';

/**
 * Records the node's own units as desired state in the node's Redis, under its state prefix: the
 * orchestrator's workers then bring back a unit that stopped, exited or vanished (after an engine
 * crash) without another `up`. The document holds the layout and the secrets dir, no secret.
 */
export async function recordNodeUnits(redisUrl: string, statePrefix: string, desired: NodeUnitsDesired) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await redis.connect();
    await createStateStore(redis, { prefix: statePrefix }).nodeUnits.putDesired({ ...desired });
  } finally {
    redis.disconnect();
  }
}

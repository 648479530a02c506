import type { StateStore } from '@nn/orchestrator-state';
import type { Runtime } from '@nn/runtime';
import type { Redis } from 'ioredis';
import { type DrainPlan, planDrain } from './drain-plan.js';

// Two hashes next to the state (same prefix): when each node's engine was first seen away, and the nodes
// declared lost. The sweep writes both; `nnctl node undrain` clears them with the cordon.

const awayKey = (state: StateStore) => `${state.keys.prefix}nodes:away-since`;
const lostKey = (state: StateStore) => `${state.keys.prefix}nodes:lost`;

/** Marks the node (un)schedulable; a no-op when it already is. Returns whether it changed. */
export async function setSchedulable(
  state: StateStore,
  node: string,
  schedulable: boolean,
): Promise<boolean> {
  const spec = await state.nodes.get(node);
  if (spec.schedulable === schedulable) return false;
  await state.nodes.upsert({ ...spec, schedulable });
  return true;
}

/**
 * Notes which nodes are away now (the first time each was seen away is kept; nodes that answer are
 * forgotten) and returns, for each away node, since when (ms since the epoch).
 */
export async function noteAway(
  redis: Redis,
  state: StateStore,
  away: ReadonlySet<string>,
  known: readonly string[],
  now: number,
): Promise<Map<string, number>> {
  const key = awayKey(state);
  const back = known.filter((n) => !away.has(n));
  if (back.length > 0) await redis.hdel(key, ...back);
  const since = new Map<string, number>();
  for (const node of away) {
    await redis.hsetnx(key, node, String(now));
    const raw = await redis.hget(key, node);
    const at = Number(raw);
    since.set(node, Number.isFinite(at) ? at : now);
  }
  return since;
}

export async function isLost(redis: Redis, state: StateStore, node: string): Promise<boolean> {
  return (await redis.hexists(lostKey(state), node)) === 1;
}

export async function markLost(redis: Redis, state: StateStore, node: string, now: number): Promise<void> {
  await redis.hset(lostKey(state), node, new Date(now).toISOString());
}

/** The nodes declared lost, with when. */
export async function lostNodes(redis: Redis, state: StateStore): Promise<Record<string, string>> {
  return redis.hgetall(lostKey(state));
}

/** Undrain: schedulable again, and neither away nor lost any more. Returns whether the cordon changed. */
export async function uncordon(redis: Redis, state: StateStore, node: string): Promise<boolean> {
  const changed = await setSchedulable(state, node, true);
  await redis.hdel(lostKey(state), node);
  await redis.hdel(awayKey(state), node);
  return changed;
}

/** The drain plan from the state as it is now, with the engines that answer (when a runtime is given). */
export async function currentDrainPlan(
  state: StateStore,
  runtime: Runtime | undefined,
  node: string,
): Promise<DrainPlan> {
  const [chains, nodes, infos] = await Promise.all([
    state.chains.list(),
    state.nodes.list(),
    runtime ? runtime.nodes() : Promise.resolve([]),
  ]);
  const usage = new Map(
    await Promise.all(nodes.map(async (n) => [n.name, await state.nodes.usage(n.name)] as const)),
  );
  const unreachable = new Set(infos.filter((i) => !i.reachable).map((i) => i.name));
  return planDrain({ node, chains, nodes, usage, unreachable });
}

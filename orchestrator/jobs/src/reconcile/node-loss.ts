import type { ChainRecord } from '@nn/orchestrator-core';
import type { UnitHandle } from '@nn/runtime';
import type { JobsDeps } from '../context.js';
import { isLost, markLost, noteAway, setSchedulable } from '../drain/node-marks.js';

/** The enqueue side of node loss: a node.drain of the lost node (one per node at a time). */
export interface NodeLossEnqueuer {
  drainNode(node: string, mode: 'lost', requestedBy?: string): Promise<string>;
}

/** A stale copy's daemon has nothing left to protect (its volume stays): a short graceful stop. */
const STALE_STOP_SEC = 60;

/**
 * Node loss, in the sweep: a registered node whose engine has stayed away for nodeLostGraceMs is
 * cordoned, gets a node.drain (mode lost) and is marked lost, in that order, so a sweep that dies in
 * between cordons and queues again (the drain's dedupe id makes that one job). Returns the nodes
 * declared lost by this sweep.
 */
export async function watchNodeLoss(
  deps: JobsDeps,
  queue: NodeLossEnqueuer,
  away: ReadonlySet<string>,
): Promise<string[]> {
  const known: string[] = (await deps.state.nodes.list()).map((n) => n.name);
  const now = Date.now();
  const since = await noteAway(deps.redis, deps.state, away, known, now);
  const lost: string[] = [];
  for (const [node, at] of since) {
    if (!known.includes(node) || now - at < deps.config.nodeLostGraceMs) continue;
    if (await isLost(deps.redis, deps.state, node)) continue;
    await setSchedulable(deps.state, node, false);
    const jobId = await queue.drainNode(node, 'lost', 'node-loss');
    await markLost(deps.redis, deps.state, node, now);
    deps.log.warn(
      { node, awaySince: new Date(at).toISOString(), jobId },
      'node lost: its chains are placed elsewhere on fresh volumes',
    );
    lost.push(node);
  }
  return lost;
}

/**
 * The copies of chains found on a node other than their placement's: what a lost node still runs when
 * its engine answers again, after its chains were placed elsewhere. Their containers go at once (two
 * daemons of one chain must never run); their volumes stay (the old wallet.dat is never deleted).
 * Returns the units that remain, the stale ones left out. A chain being moved has no containers on its
 * old node by the time its placement changes (chain.move stops and removes them first). `answering`:
 * the runtime's nodes whose engine answers now.
 */
export async function removeStaleCopies(
  deps: JobsDeps,
  chains: readonly ChainRecord[],
  units: readonly UnitHandle[],
  unitOf: (chainId: string) => string,
  answering: ReadonlySet<string>,
): Promise<{ kept: UnitHandle[]; removed: Array<{ unit: string; node: string }> }> {
  // Only where each engine holds its own copies (Docker): a Kubernetes pod runs wherever the scheduler
  // put it, whatever node the placement names, and is the unit itself, never a stale copy.
  if (deps.runtime.kind !== 'docker') return { kept: [...units], removed: [] };
  const placedOn = new Map(chains.map((c) => [unitOf(c.spec.id), c.placement?.node]));
  const kept: UnitHandle[] = [];
  const removed: Array<{ unit: string; node: string }> = [];
  for (const u of units) {
    const node = placedOn.get(u.name);
    // The placement must name an engine that answers now: a node the runtime does not know (a state
    // and a runtime that name nodes differently) proves nothing stale.
    if (node === undefined || node === u.node || !answering.has(node)) {
      kept.push(u);
      continue;
    }
    await deps.runtime.removeUnit(u.name, {
      node: u.node,
      timeoutSec: Math.min(STALE_STOP_SEC, deps.config.stopTimeoutSec),
    });
    deps.log.warn({ unit: u.name, node: u.node, placedOn: node }, 'stale copy removed (volume kept)');
    removed.push({ unit: u.name, node: u.node });
  }
  return { kept, removed };
}

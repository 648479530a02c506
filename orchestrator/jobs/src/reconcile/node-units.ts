import {
  type NodeUnitRole,
  type NodeUnitsDesired,
  parseNodeUnitsDesired,
  plannedNodeUnits,
  waitUnitReady,
} from '@nn/node-units';
import { type Dependency, DependencyDownError, dependencyBackoffMs } from '@nn/orchestrator-core';
import { type UnitHandle, UnitNotFoundError } from '@nn/runtime';
import type { JobsDeps } from '../context.js';
import { asJobError } from '../errors.js';
import { unreachableNodes } from './reachability.js';

// The node's own units (destination chain, KMD or KMDCL, Iguana) reconciled like chains: the desired
// state `nnctl up` recorded against what the engine shows, in dependency order. A unit that stopped,
// exited (an engine restart leaves every container Exited), vanished or sits in a dead namespace is
// deployed again from its recorded spec; the runtime finishes or restarts it, keeping its volume.

export type NodeUnitAction = 'none' | 'deploy';

/** What to do about one node unit from what the engine shows. Pure: tested alone. */
export function diffNodeUnit(unit: UnitHandle | undefined): NodeUnitAction {
  // stopped, partial (one container gone or not running) and degraded (the daemon in a dead
  // namespace) are all finished by a deploy of the same spec.
  return unit?.state === 'running' ? 'none' : 'deploy';
}

/** The dependency each role is to the units and chains after it. */
export const DEPENDENCY_OF: Readonly<Record<NodeUnitRole, Dependency>> = {
  destination: 'destination',
  main: 'kmd',
  iguana: 'iguana',
};

export interface NodeUnitOutcome {
  readonly role: NodeUnitRole;
  readonly unit: string;
  readonly action: NodeUnitAction;
  /** Ready after this pass (a unit left running is taken as it is). */
  readonly ok: boolean;
  readonly error?: string;
}

export interface NodeUnitsResult {
  /** 'none': no desired state recorded; 'busy': another job holds the units' lease; 'away': their engine does not answer. */
  readonly outcome: 'none' | 'busy' | 'away' | 'done';
  readonly units: readonly NodeUnitOutcome[];
}

async function observe(deps: JobsDeps, unit: string): Promise<UnitHandle | undefined> {
  try {
    return await deps.runtime.inspectUnit(unit);
  } catch (err) {
    if (err instanceof UnitNotFoundError) return undefined;
    throw err;
  }
}

/** The recorded desired state, or undefined when `nnctl up` recorded none (units deployed by hand). */
export async function readNodeUnitsDesired(deps: JobsDeps): Promise<NodeUnitsDesired | undefined> {
  const doc = await deps.state.nodeUnits.getDesired();
  return doc === undefined ? undefined : parseNodeUnitsDesired(doc);
}

/**
 * One pass over the node's units under their lease, in dependency order. A unit that needs deploying
 * is deployed and waited for (up to nodeUnitReadyTimeoutMs); one that does not come back stops the pass
 * there (what comes after it depends on it), its repair record saying why and when the next try is.
 * Returns which units were deployed; the caller re-registers chains when Iguana was.
 */
export async function reconcileNodeUnits(deps: JobsDeps, owner: string): Promise<NodeUnitsResult> {
  const desired = await readNodeUnitsDesired(deps);
  if (!desired) return { outcome: 'none', units: [] };
  // An engine away shows no units; the units are not gone for that (the sweep after its return looks).
  if ((await unreachableNodes(deps)).has(desired.layout.node)) return { outcome: 'away', units: [] };
  const { nodeUnits, repairs } = deps.state;
  const ttl = deps.config.leaseTtlMs;
  const token = await nodeUnits.acquire(owner, ttl);
  if (!token) return { outcome: 'busy', units: [] };
  const renew = setInterval(() => void nodeUnits.renew(token, ttl).catch(() => undefined), ttl / 3);
  const out: NodeUnitOutcome[] = [];
  try {
    for (const { role, spec } of plannedNodeUnits(desired)) {
      const subject = { unit: role };
      const action = diffNodeUnit(await observe(deps, spec.name));
      if (action === 'none') {
        out.push({ role, unit: spec.name, action, ok: true });
        continue;
      }
      deps.log.warn({ unit: spec.name, role }, 'node unit is not running: deploying it again');
      try {
        const handle = await deps.runtime.deployUnit(spec);
        if (!handle.endpoint) throw new Error(`unit ${spec.name} has no published sidecar endpoint`);
        await waitUnitReady(handle.endpoint, spec.name, deps.config.nodeUnitReadyTimeoutMs);
        await repairs.clear(subject);
        deps.log.info({ unit: spec.name, role }, 'node unit back');
        out.push({ role, unit: spec.name, action, ok: true });
      } catch (err) {
        const e = asJobError(err);
        const before = await repairs.get(subject);
        const n = (before?.attempts ?? 0) + 1;
        const delay = dependencyBackoffMs(n, deps.config.backoffMs, deps.config.dependencyMaxDelayMs);
        await repairs.failed(subject, {
          lastError: e.message,
          action: 'deploy',
          ...(e instanceof DependencyDownError ? { waitingFor: e.dependency } : {}),
          nextRetryAt: new Date(Date.now() + delay),
        });
        deps.log.warn({ unit: spec.name, role, err: e.message, attempts: n }, 'node unit not back yet');
        out.push({ role, unit: spec.name, action, ok: false, error: e.message });
        break; // what comes after depends on this unit: the next pass goes on from here
      }
    }
  } finally {
    clearInterval(renew);
    await nodeUnits.release(token).catch(() => undefined);
  }
  return { outcome: 'done', units: out };
}

import {
  type NodeUnitRole,
  type NodeUnitsDesired,
  type PlannedNodeUnit,
  parseNodeUnitsDesired,
  plannedNodeUnits,
} from '@nn/node-units';
import { type Dependency, DependencyDownError } from '@nn/orchestrator-core';
import { type UnitHandle, UnitNotFoundError } from '@nn/runtime';
import { SidecarClient } from '@nn/sidecar-clients';
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

/** How often a readiness wait asks /readyz, and how often it checks the units it depends on. */
const READY_POLL_MS = 500;

/**
 * Until the unit's sidecar says ready: 'ready', 'timeout' after nodeUnitReadyTimeoutMs, or
 * 'dependency-down' as soon as a unit it depends on no longer runs (it was stopped meanwhile: the pass
 * starts again from the top instead of waiting out the time-out for a unit that cannot get ready).
 */
async function waitNodeUnitReady(
  deps: JobsDeps,
  endpoint: string,
  dependsOn: readonly string[],
): Promise<{ outcome: 'ready' | 'timeout' | 'dependency-down'; last: string }> {
  const client = new SidecarClient(endpoint, Math.min(5_000, deps.config.httpTimeoutMs));
  const deadline = Date.now() + deps.config.nodeUnitReadyTimeoutMs;
  let last = 'no answer yet';
  for (let poll = 0; Date.now() < deadline; poll++) {
    try {
      const r = await client.readyz();
      if (r.ready) return { outcome: 'ready', last: 'ready' };
      last = r.reason;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (poll % 4 === 3)
      for (const unit of dependsOn)
        if ((await observe(deps, unit))?.state !== 'running')
          return { outcome: 'dependency-down', last: `${unit} is down` };
    await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
  return { outcome: 'timeout', last };
}

/** The units' lease lives this long without renewal (renewed every third of it while held). */
const NODE_UNITS_LEASE_MS = 10_000;

/** At most this many passes per reconcile when a dependency goes down again during one. */
const MAX_PASSES = 3;

/**
 * The node's units under their lease, in dependency order. A unit that needs deploying is deployed and
 * waited for (up to nodeUnitReadyTimeoutMs); one that does not come back stops there (what comes after
 * depends on it), its repair record saying why; the next sweep tries again. A unit found down while a
 * later one is waited for starts the pass again from the top.
 */
export async function reconcileNodeUnits(deps: JobsDeps, owner: string): Promise<NodeUnitsResult> {
  const desired = await readNodeUnitsDesired(deps);
  if (!desired) return { outcome: 'none', units: [] };
  // An engine away shows no units; the units are not gone for that (the sweep after its return looks).
  if ((await unreachableNodes(deps)).has(desired.layout.node)) return { outcome: 'away', units: [] };
  const { nodeUnits } = deps.state;
  // Short: a process that died holding it (an engine crash takes the orchestrator too) must not keep
  // the restarted orchestrator's first sweeps from the units for a whole chain lease.
  const ttl = Math.min(deps.config.leaseTtlMs, NODE_UNITS_LEASE_MS);
  const token = await nodeUnits.acquire(owner, ttl);
  if (!token) return { outcome: 'busy', units: [] };
  const renew = setInterval(() => void nodeUnits.renew(token, ttl).catch(() => undefined), ttl / 3);
  try {
    const planned = plannedNodeUnits(desired);
    let out: NodeUnitOutcome[] = [];
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const result = await onePass(deps, planned);
      out = result.units;
      if (!result.again) break;
    }
    return { outcome: 'done', units: out };
  } finally {
    clearInterval(renew);
    await nodeUnits.release(token).catch(() => undefined);
  }
}

async function onePass(
  deps: JobsDeps,
  planned: readonly PlannedNodeUnit[],
): Promise<{ units: NodeUnitOutcome[]; again: boolean }> {
  const out: NodeUnitOutcome[] = [];
  const before: string[] = [];
  for (const { role, spec } of planned) {
    const subject = { unit: role };
    const action = diffNodeUnit(await observe(deps, spec.name));
    if (action === 'none') {
      out.push({ role, unit: spec.name, action, ok: true });
      before.push(spec.name);
      continue;
    }
    deps.log.warn({ unit: spec.name, role }, 'node unit is not running: deploying it again');
    let error: string;
    let waitingFor: string | undefined;
    try {
      const handle = await deps.runtime.deployUnit(spec);
      if (!handle.endpoint) throw new Error(`unit ${spec.name} has no published sidecar endpoint`);
      const ready = await waitNodeUnitReady(deps, handle.endpoint, before);
      if (ready.outcome === 'ready') {
        await deps.state.repairs.clear(subject);
        deps.log.info({ unit: spec.name, role }, 'node unit back');
        out.push({ role, unit: spec.name, action, ok: true });
        before.push(spec.name);
        continue;
      }
      if (ready.outcome === 'dependency-down') return { units: out, again: true };
      error = `unit ${spec.name} was not ready within ${Math.round(deps.config.nodeUnitReadyTimeoutMs / 1000)} s (last: ${ready.last})`;
    } catch (err) {
      const e = asJobError(err);
      error = e.message;
      waitingFor = e instanceof DependencyDownError ? e.dependency : undefined;
    }
    const record = await deps.state.repairs.failed(subject, {
      lastError: error,
      action: 'deploy',
      ...(waitingFor ? { waitingFor } : {}),
      nextRetryAt: new Date(Date.now() + deps.config.sweepEveryMs),
    });
    deps.log.warn({ unit: spec.name, role, err: error, attempts: record.attempts }, 'node unit not back yet');
    out.push({ role, unit: spec.name, action, ok: false, error });
    break; // what comes after depends on this unit: the next sweep goes on from here
  }
  return { units: out, again: false };
}

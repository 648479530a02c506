import { plannedNodeUnits } from '@nn/node-units';
import { PermanentError } from '@nn/orchestrator-core';
import { type UnitHandle, UnitNotFoundError } from '@nn/runtime';
import type { JobNotes } from '../../job-notes.js';
import { readNodeUnitsDesired } from '../../reconcile/node-units.js';
import { iguanaCoins, shouldBeRegistered } from '../../reconcile/registrations.js';
import type { SeasonPlan } from './plan-season.js';
import type { SeasonStepRun, StepState } from './season-chains.js';

// Iguana's part of a season: its elected file, seeds and ports go into the node units' desired state
// (what reconcile deploys Iguana from), Iguana is restarted once, then every chain that should be
// notarised is registered again (Iguana comes back with no coins).

/**
 * The node units' lease, as reconcile takes it: short and renewed while held, so a worker killed while
 * holding it keeps the next one (or the sweep) from the units for seconds only.
 */
const NODE_UNITS_LEASE_MS = 10_000;

/** How long the season waits for every chain to be registered again before it fails. */
const REGISTER_WAIT_MS = 15 * 60_000;

/** The daemon container and when it started: a replaced or restarted Iguana shows another. */
const startOf = (h: UnitHandle): string =>
  `${h.daemon?.id ?? 'none'}@${h.daemon?.startedAt?.toISOString() ?? 'never'}`;

async function observedStart(run: SeasonStepRun, unit: string): Promise<string> {
  try {
    return startOf(await run.deps.runtime.inspectUnit(unit));
  } catch (err) {
    if (err instanceof UnitNotFoundError) return 'gone';
    throw err;
  }
}

/**
 * The season's Iguana, restarted once: the new desired state is written (idempotent), then the unit is
 * deployed from it; a deploy that replaced the unit (its spec changed) was the restart, otherwise it is
 * restarted. Notes keep the daemon's container and start time before and that the restart happened, so a re-run after a crash
 * does not restart it again (a crash between the restart and its note restarts it twice, never zero).
 */
export async function iguanaStep(run: SeasonStepRun, plan: SeasonPlan, notes: JobNotes): Promise<StepState> {
  if (!plan.restartIguana || (await notes.get('seasonIguanaRestarted')) === '1') return { waiting: [] };
  const { deps } = run;
  const owner = `season-${run.seasonJobId}`;
  const ttl = Math.min(deps.config.leaseTtlMs, NODE_UNITS_LEASE_MS);
  const token = await deps.state.nodeUnits.acquire(owner, ttl);
  if (!token) return { waiting: ['node units (another job holds their lease)'] };
  const renew = setInterval(
    () => void deps.state.nodeUnits.renew(token, ttl).catch(() => undefined),
    ttl / 3,
  );
  try {
    if (plan.nodeUnits) await deps.state.nodeUnits.putDesired({ ...plan.nodeUnits });
    await run.checkpoint('season-desired-written');
    const desired = await readNodeUnitsDesired(deps);
    const iguana = desired && plannedNodeUnits(desired).find((u) => u.role === 'iguana');
    if (!iguana) throw new PermanentError("the node units' desired state has no Iguana unit");
    const before = await notes.setOnce('seasonIguanaBefore', await observedStart(run, iguana.spec.name));
    const handle = await deps.runtime.deployUnit(iguana.spec);
    const replaced = startOf(handle) !== before;
    if (!replaced)
      await deps.runtime.restartUnit(iguana.spec.name, { timeoutSec: deps.config.stopTimeoutSec });
    await run.checkpoint('season-iguana-restarted');
    await notes.set('seasonIguanaRestarted', '1');
    deps.log.info({ unit: iguana.spec.name, replaced }, 'season: Iguana restarted');
    return { waiting: [] };
  } finally {
    clearInterval(renew);
    await deps.state.nodeUnits.release(token).catch(() => undefined);
  }
}

/**
 * Until Iguana lists every chain that should be notarised: the missing ones get a reconcile (which
 * registers a ready chain that Iguana lacks), and the season waits for them.
 */
export async function registerStep(run: SeasonStepRun, notes: JobNotes): Promise<StepState> {
  const { deps } = run;
  if (!deps.config.iguana) return { waiting: [] };
  const since = Number(await notes.setOnce('seasonRegisterSince', String(Date.now())));
  const coins = await iguanaCoins(deps);
  const wanted = (await deps.state.chains.list()).filter(shouldBeRegistered);
  const names = new Set((coins ?? []).map((c) => c.name));
  const missing = coins === undefined ? wanted : wanted.filter((c) => !names.has(c.spec.identity.iguanaName));
  if (missing.length === 0) return { waiting: [] };
  if (Date.now() - since > REGISTER_WAIT_MS)
    throw new PermanentError(
      `Iguana did not list ${missing.map((c) => c.spec.id).join(', ')} within ${REGISTER_WAIT_MS / 60_000} min of the season's restart`,
    );
  if (coins !== undefined)
    for (const chain of missing) await run.queue.requestReconcile(chain.spec.id, 'manual');
  return {
    waiting: coins === undefined ? ["Iguana's sidecar (not answering yet)"] : missing.map((c) => c.spec.id),
  };
}

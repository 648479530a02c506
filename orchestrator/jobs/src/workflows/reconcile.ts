import { type ChainRecord, type ChainStatus, chainIdSchema } from '@nn/orchestrator-core';
import type { RepairRecord } from '@nn/orchestrator-state';
import { type UnitHandle, UnitNotFoundError } from '@nn/runtime';
import type { ChainJobContext, JobsDeps, SweepEnqueuer } from '../context.js';
import { type NodeLossEnqueuer, removeStaleCopies, watchNodeLoss } from '../reconcile/node-loss.js';
import { DEPENDENCY_OF, type NodeUnitsResult, reconcileNodeUnits } from '../reconcile/node-units.js';
import { unreachableNodes } from '../reconcile/reachability.js';
import { iguanaCoins, shouldBeRegistered } from '../reconcile/registrations.js';
import { readyReason, registerIguana } from '../steps/register-iguana.js';
import { LABEL_CHAIN, LABEL_INSTANCE } from '../unit/unit-spec.js';

/** Statuses in which a chain's unit should be running (a job may be bringing it there). */
export const DESIRED_RUNNING: readonly ChainStatus[] = [
  'placed',
  'provisioning',
  'starting',
  'syncing',
  'ready',
  'restarting',
  'upgrading',
];

/** Statuses of a chain that came up once: it is repaired (restart, re-register), never added again. */
const CAME_UP: readonly ChainStatus[] = ['ready', 'restarting', 'upgrading'];

export type ReconcileAction = 'none' | 'redeploy' | 'restart' | 'register' | 'remove-orphan';

/**
 * What to do about one chain, from its desired record, its observed unit and (when Iguana answered)
 * whether Iguana lists it. A chain that came up once gets the repair it needs: a restart when its unit
 * stopped, exited, vanished or sits in a dead namespace (the restart recreates whatever is missing, the
 * volume kept), a registration when Iguana lost it. Only a chain whose chain.add never finished gets
 * chain.add again. Pure: tested alone.
 */
export function diffChain(
  chain: ChainRecord | undefined,
  unit: UnitHandle | undefined,
  iguana: { readonly registered: boolean } | undefined = undefined,
): ReconcileAction {
  if (!chain) return unit ? 'remove-orphan' : 'none';
  if (!DESIRED_RUNNING.includes(chain.status)) return 'none';
  if (chain.status === 'placed' && !unit) return 'none'; // its chain.add has not made anything yet
  if (unit?.state === 'running')
    return iguana && !iguana.registered && shouldBeRegistered(chain) ? 'register' : 'none';
  if (unit?.state === 'degraded') return 'restart';
  if (CAME_UP.includes(chain.status) && chain.placement) return 'restart';
  return 'redeploy'; // its chain.add was interrupted: chain.add finishes whatever is missing
}

/**
 * Whether the sweep tries a failed chain again now: after its repair record's next retry time, or
 * failedRetryMs after it failed when it has none. Pure: tested alone.
 */
export function failedRetryDue(
  chain: ChainRecord,
  repair: RepairRecord | undefined,
  now: number,
  failedRetryMs: number,
): boolean {
  if (chain.status !== 'failed') return false;
  const next = repair?.nextRetryAt
    ? Date.parse(repair.nextRetryAt)
    : Date.parse(chain.updatedAt) + failedRetryMs;
  return Number.isFinite(next) && now >= next;
}

async function observe(deps: JobsDeps, unit: string): Promise<UnitHandle | undefined> {
  try {
    const h = await deps.runtime.inspectUnit(unit);
    // Only units this orchestrator instance made are ours to act on.
    return h.labels[LABEL_INSTANCE] === deps.config.instance ? h : undefined;
  } catch (err) {
    if (err instanceof UnitNotFoundError) return undefined;
    throw err;
  }
}

/** Whether Iguana lists a ready chain whose unit runs; undefined when that is not to be asked or unknown. */
async function registrationOf(
  ctx: ChainJobContext,
  chain: ChainRecord | undefined,
  unit: UnitHandle | undefined,
): Promise<{ registered: boolean } | undefined> {
  if (!chain || !shouldBeRegistered(chain) || unit?.state !== 'running') return undefined;
  const coins = await iguanaCoins(ctx.deps, ctx.signal);
  return coins ? { registered: coins.some((c) => c.name === chain.spec.identity.iguanaName) } : undefined;
}

export interface ReconcileResult {
  readonly chainId: string;
  readonly action: ReconcileAction;
  readonly followUp: string | null;
}

/**
 * reconcile of one chain, run while holding its lease (no other job is working on it): observe the
 * unit, diff against the desired record, and turn the difference into a job (chain.add redeploys a
 * killed or vanished unit, chain.restart fixes a daemon left in a dead namespace). The follow-up is
 * marked as the chain's one pending job; when another is already pending nothing more is queued.
 * An orphan unit (labelled for this instance, chain gone from the state) loses its containers; its
 * data volume stays.
 */
export async function reconcileChain(ctx: ChainJobContext): Promise<ReconcileResult> {
  const { state, runtime } = ctx.deps;
  await ctx.progress.enter('observe');
  const chain = await state.chains.find(ctx.chainId);
  const away = chain?.placement && (await unreachableNodes(ctx.deps)).has(chain.placement.node);
  const unit = away ? undefined : await observe(ctx.deps, ctx.unit);
  await ctx.progress.enter('diff');
  // An engine that does not answer shows no units: its chains wait for it, nothing is redeployed.
  const action = away ? 'none' : diffChain(chain, unit, await registrationOf(ctx, chain, unit));
  await ctx.progress.enter('enqueue', action);
  let followUp: string | undefined;
  if (action === 'remove-orphan' && unit?.labels[LABEL_CHAIN] === ctx.chainId)
    await runtime.removeUnit(ctx.unit, { timeoutSec: ctx.deps.config.stopTimeoutSec });
  if (action === 'redeploy') followUp = await ctx.enqueue?.addChainFollowUp(ctx.chainId, 'chain.add');
  if (action === 'restart') followUp = await ctx.enqueue?.addChainFollowUp(ctx.chainId, 'chain.restart');
  if (action === 'register' && chain?.placement) {
    const secrets = ctx.deps.secrets.chain(chain.spec.id, chain.spec.identity.acName);
    const outcome = await registerIguana(ctx, chain.spec, chain.placement, unit, secrets);
    await state.chains.mutate(ctx.chainId, (c) =>
      c.status === 'ready' ? { statusReason: readyReason(outcome) } : undefined,
    );
    await state.repairs.clear({ chain: ctx.chainId });
  }
  await ctx.progress.enter('done');
  if (action !== 'none') ctx.log.info({ chainId: ctx.chainId, action, followUp }, 'reconciled');
  return { chainId: ctx.chainId, action, followUp: followUp ?? null };
}

/**
 * Whether a chain is stranded in `requested`: its record has not changed for `graceMs` (the API writes
 * the record, then queues its chain.add within moments; placement moves it on). Pure: tested alone.
 */
export function isStrandedRequest(chain: ChainRecord, now: number, graceMs: number): boolean {
  if (chain.status !== 'requested') return false;
  const since = Date.parse(chain.updatedAt);
  return Number.isFinite(since) && now - since >= graceMs;
}

export interface SweepResult {
  readonly checked: number;
  /** The node's own units, reconciled first (dependency order). */
  readonly nodeUnits?: NodeUnitsResult;
  /** Failed chains whose slow retry (chain.add) was queued. */
  readonly retried?: string[];
  /** Chains a per-chain reconcile was asked for. */
  readonly requested: string[];
  /** Stranded `requested` chains whose chain.add was queued. */
  readonly requeued: string[];
  /** Nodes this sweep declared lost (away past nodeLostGraceMs): their chains are being re-placed. */
  readonly lostNodes?: string[];
  /** Copies of chains on a node other than their placement (a lost node's, back), whose containers went. */
  readonly staleRemoved?: Array<{ unit: string; node: string }>;
}

/**
 * The dependencies that answer now: Redis (the sweep reads it), the engines when none is away, Iguana
 * when its sidecar listed its coins, and every node unit this sweep found running or brought back.
 * Pure: tested alone.
 */
export function backDependencies(
  nodeUnits: NodeUnitsResult | undefined,
  iguanaAnswers: boolean,
  enginesAnswer: boolean,
): Set<string> {
  const back = new Set<string>([
    'redis',
    ...(iguanaAnswers ? ['iguana'] : []),
    ...(enginesAnswer ? ['engine'] : []),
  ]);
  for (const u of nodeUnits?.units ?? []) if (u.ok) back.add(DEPENDENCY_OF[u.role]);
  return back;
}

/** Chain jobs delayed while waiting for a dependency that is back run now, not at their backoff's end. */
async function promoteWaiting(
  deps: JobsDeps,
  queue: SweepEnqueuer,
  repairs: ReadonlyMap<string, RepairRecord>,
  back: ReadonlySet<string>,
): Promise<void> {
  const chains = new Set<string>();
  for (const [key, r] of repairs)
    if (key.startsWith('chain:') && r.waitingFor && back.has(r.waitingFor))
      chains.add(key.slice('chain:'.length));
  const promoted = await queue.promoteDelayed(chains);
  if (promoted.length > 0)
    deps.log.info({ promoted, back: [...back] }, 'dependency back: waiting jobs run now');
}

/** What one sweep saw, once for every chain. */
interface SweepSeen {
  readonly byName: ReadonlyMap<string, UnitHandle>;
  readonly coinNames: ReadonlySet<string> | undefined;
  readonly repairs: ReadonlyMap<string, RepairRecord>;
  readonly away: ReadonlySet<string>;
}

/**
 * One chain in the sweep: a stranded request gets its chain.add, a failed chain due for its slow retry
 * its chain.add, a chain whose engine is away nothing, any other difference a per-chain reconcile.
 */
async function sweepChain(
  deps: JobsDeps,
  queue: SweepEnqueuer,
  chain: ChainRecord,
  name: string,
  seen: SweepSeen,
): Promise<'requeued' | 'retried' | 'requested' | undefined> {
  const id = chain.spec.id;
  const graceMs = deps.config.requestedGraceMs;
  if (isStrandedRequest(chain, Date.now(), graceMs)) {
    const jobId = await queue.requeueStrandedAdd(id, async () => {
      const current = await deps.state.chains.find(id);
      return current !== undefined && isStrandedRequest(current, Date.now(), graceMs);
    });
    if (jobId === undefined) return undefined;
    deps.log.warn(
      { chainId: id, jobId, since: chain.updatedAt },
      'stranded requested chain: chain.add queued',
    );
    return 'requeued';
  }
  const repair = seen.repairs.get(`chain:${id}`);
  if (failedRetryDue(chain, repair, Date.now(), deps.config.failedRetryMs)) {
    const jobId = await queue.retryFailedAdd(id);
    if (jobId === undefined) return undefined;
    deps.log.info({ chainId: id, jobId, repair }, 'failed chain: tried again');
    return 'retried';
  }
  if (chain.placement && seen.away.has(chain.placement.node)) return undefined; // its units cannot be seen now
  const iguana = seen.coinNames
    ? { registered: seen.coinNames.has(chain.spec.identity.iguanaName) }
    : undefined;
  if (diffChain(chain, seen.byName.get(name), iguana) === 'none') return undefined;
  await queue.requestReconcile(id, 'sweep');
  return 'requested';
}

/**
 * The sweep: every chain of the state and every unit of this instance, compared without leases; each
 * chain that differs gets a per-chain reconcile job (which decides again under the lease). A chain
 * stranded in `requested` past `requestedGraceMs` gets its chain.add, unless one (or a removal) is still
 * queued or running; the queue checks that again under the chain's pending marker.
 */
export async function sweep(
  deps: JobsDeps,
  unitOf: (chainId: string) => string,
  queue: SweepEnqueuer & NodeLossEnqueuer,
): Promise<SweepResult> {
  // The node's own units first: the chains' bridges and registrations need them.
  const nodeUnits = await reconcileNodeUnits(deps, 'sweep').catch((err: unknown) => {
    deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'node units not reconciled');
    return undefined;
  });
  const chains = await deps.state.chains.list();
  const listed = await deps.runtime.listUnits({ labels: { [LABEL_INSTANCE]: deps.config.instance } });
  const nodes = await deps.runtime.nodes();
  const away = new Set(nodes.filter((n) => !n.reachable).map((n) => n.name));
  const answering = new Set(nodes.filter((n) => n.reachable).map((n) => n.name));
  const { kept: units, removed: staleRemoved } = await removeStaleCopies(
    deps,
    chains,
    listed,
    unitOf,
    answering,
  );
  const byName = new Map(units.map((u) => [u.name, u]));
  // Iguana's coin list, once per sweep: a chain that should be notarised and is not listed is registered.
  const coins = await iguanaCoins(deps);
  const coinNames = coins ? new Set(coins.map((c) => c.name)) : undefined;
  const repairs = await deps.state.repairs.all();
  const lostNodes = await watchNodeLoss(deps, queue, away);
  await promoteWaiting(
    deps,
    queue,
    repairs,
    backDependencies(nodeUnits, coins !== undefined, away.size === 0),
  );
  const requested: string[] = [];
  const requeued: string[] = [];
  const retried: string[] = [];
  const known = new Set<string>();
  const seen: SweepSeen = { byName, coinNames, repairs, away };
  for (const chain of chains) {
    const name = unitOf(chain.spec.id);
    known.add(name);
    const outcome = await sweepChain(deps, queue, chain, name, seen);
    if (outcome === 'requeued') requeued.push(chain.spec.id);
    if (outcome === 'retried') retried.push(chain.spec.id);
    if (outcome === 'requested') requested.push(chain.spec.id);
  }
  for (const u of units) {
    const chainId = chainIdSchema.safeParse(u.labels[LABEL_CHAIN]);
    if (known.has(u.name) || !chainId.success) continue;
    await queue.requestReconcile(chainId.data, 'sweep');
    requested.push(chainId.data);
  }
  return {
    checked: chains.length,
    requested,
    requeued,
    retried,
    ...(nodeUnits ? { nodeUnits } : {}),
    ...(lostNodes.length ? { lostNodes } : {}),
    ...(staleRemoved.length ? { staleRemoved } : {}),
  };
}

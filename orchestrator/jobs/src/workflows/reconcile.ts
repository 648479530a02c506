import { type ChainRecord, type ChainStatus, chainIdSchema } from '@nn/orchestrator-core';
import { type UnitHandle, UnitNotFoundError } from '@nn/runtime';
import type { ChainJobContext, JobsDeps, SweepEnqueuer } from '../context.js';
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

export type ReconcileAction = 'none' | 'redeploy' | 'restart' | 'remove-orphan';

/** What to do about one chain, from its desired record and its observed unit. Pure: tested alone. */
export function diffChain(chain: ChainRecord | undefined, unit: UnitHandle | undefined): ReconcileAction {
  if (!chain) return unit ? 'remove-orphan' : 'none';
  if (!DESIRED_RUNNING.includes(chain.status)) return 'none';
  if (chain.status === 'placed' && !unit) return 'none'; // its chain.add has not made anything yet
  if (!unit) return 'redeploy';
  if (unit.state === 'running') return 'none';
  if (unit.state === 'degraded') return 'restart';
  return 'redeploy'; // stopped or partial: chain.add finishes whatever is missing
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
  const unit = await observe(ctx.deps, ctx.unit);
  await ctx.progress.enter('diff');
  const action = diffChain(chain, unit);
  await ctx.progress.enter('enqueue', action);
  let followUp: string | undefined;
  if (action === 'remove-orphan' && unit?.labels[LABEL_CHAIN] === ctx.chainId)
    await runtime.removeUnit(ctx.unit, { timeoutSec: ctx.deps.config.stopTimeoutSec });
  if (action === 'redeploy') followUp = await ctx.enqueue?.addChainFollowUp(ctx.chainId, 'chain.add');
  if (action === 'restart') followUp = await ctx.enqueue?.addChainFollowUp(ctx.chainId, 'chain.restart');
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
  /** Chains a per-chain reconcile was asked for. */
  readonly requested: string[];
  /** Stranded `requested` chains whose chain.add was queued. */
  readonly requeued: string[];
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
  queue: SweepEnqueuer,
): Promise<SweepResult> {
  const graceMs = deps.config.requestedGraceMs;
  const chains = await deps.state.chains.list();
  const units = await deps.runtime.listUnits({ labels: { [LABEL_INSTANCE]: deps.config.instance } });
  const byName = new Map(units.map((u) => [u.name, u]));
  const requested: string[] = [];
  const requeued: string[] = [];
  const known = new Set<string>();
  for (const chain of chains) {
    const id = chain.spec.id;
    const name = unitOf(id);
    known.add(name);
    if (isStrandedRequest(chain, Date.now(), graceMs)) {
      const jobId = await queue.requeueStrandedAdd(id, async () => {
        const current = await deps.state.chains.find(id);
        return current !== undefined && isStrandedRequest(current, Date.now(), graceMs);
      });
      if (jobId !== undefined) {
        requeued.push(id);
        deps.log.warn(
          { chainId: id, jobId, since: chain.updatedAt },
          'stranded requested chain: chain.add queued',
        );
      }
      continue;
    }
    if (diffChain(chain, byName.get(name)) !== 'none') {
      await queue.requestReconcile(id, 'sweep');
      requested.push(id);
    }
  }
  for (const u of units) {
    const chainId = chainIdSchema.safeParse(u.labels[LABEL_CHAIN]);
    if (known.has(u.name) || !chainId.success) continue;
    await queue.requestReconcile(chainId.data, 'sweep');
    requested.push(chainId.data);
  }
  return { checked: chains.length, requested, requeued };
}

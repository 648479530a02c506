import { type NodeUnitsDesired, nodeUnitNames } from '@nn/node-units';
import {
  type ChainRecord,
  ConflictError,
  type NodeUpgradeImages,
  type NodeUpgradePlan,
  NotFoundError,
  type PlannedDaemon,
  parseUpgradeTarget,
} from '@nn/orchestrator-core';

// The whole-node upgrade as a plan: a pure function of what the node runs (the node units' desired
// state, the chains' records) and the images asked for, so the API can show it (--dry-run), refuse it
// before anything changes, and the job can note it once and run exactly it after a crash. Kept apart
// from the workflow so other plan/apply jobs (the season change) can build on it.

export interface NodeUpgradeInput {
  /** The node units `nnctl up` recorded; undefined when none were (then only chains can be named). */
  readonly desired: NodeUnitsDesired | undefined;
  readonly chains: readonly ChainRecord[];
  readonly images: NodeUpgradeImages;
  /** A chain's unit name (the jobs' unitNameOf with the configured prefix); unknown to the API. */
  readonly chainUnit?: (chainId: string) => string;
}

/** Statuses a chain can be upgraded from: it has a unit (placed) and is not on its way out. */
const NOT_UPGRADABLE = new Set(['requested', 'removing']);

const field = (target: string) => `images.${target}`;

/**
 * The plan, or the reason there is none: an unknown target (ValidationError from the schema before
 * this), a role this node does not run, an unknown or unplaced chain, nothing to change.
 */
export function planNodeUpgrade(input: NodeUpgradeInput): NodeUpgradePlan {
  const { desired, images } = input;
  const daemons: PlannedDaemon[] = [];
  const unchanged: string[] = [];
  const skipped: Array<{ target: string; reason: string }> = [];
  const units = desired ? nodeUnitNames(desired) : [];
  const unitOf = (role: 'destination' | 'main' | 'iguana') => units.find((u) => u.role === role)?.unit;
  const add = (d: PlannedDaemon) => (d.from === d.to ? unchanged.push(d.target) : daemons.push(d));

  for (const role of ['destination', 'main'] as const) {
    const to = images[role];
    if (to === undefined) continue;
    const unit = unitOf(role);
    if (!desired || !unit) throw new ConflictError(field(role), noUnitReason(desired, role));
    const from = role === 'main' ? desired.layout.images.kmdDaemon : desired.layout.images.ltcDaemon;
    add({ target: role, kind: 'node-unit', unit, node: desired.layout.node, from, to });
  }
  for (const chain of chainsOf(input, skipped))
    add({
      target: `chain:${chain.record.spec.id}`,
      kind: 'chain',
      ...(input.chainUnit ? { unit: input.chainUnit(chain.record.spec.id) } : {}),
      node: chain.node,
      from: chain.record.spec.image,
      to: chain.to,
    });

  const iguanaUnit = unitOf('iguana');
  if (images.iguana !== undefined && (!desired || !iguanaUnit))
    throw new ConflictError(field('iguana'), noUnitReason(desired, 'iguana'));
  const iguana =
    desired && iguanaUnit
      ? {
          unit: iguanaUnit,
          node: desired.layout.node,
          from: desired.layout.images.iguanaDaemon,
          to: images.iguana ?? desired.layout.images.iguanaDaemon,
        }
      : null;
  if (iguana && images.iguana !== undefined && iguana.from === iguana.to) unchanged.push('iguana');
  if (daemons.length === 0 && (!iguana || iguana.from === iguana.to))
    throw new ConflictError(
      'images',
      `nothing to upgrade: ${unchanged.length > 0 ? `${unchanged.join(', ')} already run the images asked for` : 'no unit matches'}`,
    );
  return {
    version: 1,
    daemons,
    iguana,
    unchanged,
    skipped,
    images: imagesOf(daemons, iguana),
  };
}

function noUnitReason(desired: NodeUnitsDesired | undefined, role: string): string {
  if (!desired) return `no node units are recorded (nnctl up records them): this node runs no ${role} unit`;
  return `the node's network (${desired.layout.network ?? 'its layout'}) has no ${role} unit`;
}

interface ChainTarget {
  readonly record: ChainRecord;
  readonly node: string;
  readonly to: string;
}

/** The chains named (chain:<id>) or covered by `assetchains`, by id; a named one that cannot be upgraded is refused. */
function chainsOf(
  input: NodeUpgradeInput,
  skipped: Array<{ target: string; reason: string }>,
): ChainTarget[] {
  const byId = new Map(input.chains.map((c) => [c.spec.id as string, c]));
  const out = new Map<string, ChainTarget>();
  for (const [key, image] of Object.entries(input.images)) {
    const t = parseUpgradeTarget(key);
    if ('problem' in t || t.kind !== 'chain') continue;
    const record = byId.get(t.chainId);
    if (!record) throw new NotFoundError(field(key), 'chain', t.chainId);
    const why = notUpgradable(record);
    if (why) throw new ConflictError(field(key), why);
    out.set(t.chainId, { record, node: record.placement?.node as string, to: image });
  }
  const all = input.images.assetchains;
  if (all !== undefined)
    for (const record of input.chains) {
      const id = record.spec.id as string;
      if (out.has(id)) continue;
      const why = notUpgradable(record);
      if (why) skipped.push({ target: `chain:${id}`, reason: why });
      else out.set(id, { record, node: record.placement?.node as string, to: all });
    }
  return [...out.values()].sort((a, b) => (a.record.spec.id < b.record.spec.id ? -1 : 1));
}

function notUpgradable(record: ChainRecord): string | undefined {
  if (NOT_UPGRADABLE.has(record.status) || !record.placement)
    return `chain ${record.spec.id} is ${record.status}${record.placement ? '' : ' and not placed'}: only a placed chain can be upgraded`;
  return undefined;
}

/** Each image once per node it runs on. */
function imagesOf(
  daemons: readonly PlannedDaemon[],
  iguana: NodeUpgradePlan['iguana'],
): NodeUpgradePlan['images'] {
  const seen = new Set<string>();
  const out: Array<{ node: string; image: string }> = [];
  for (const u of [...daemons, ...(iguana && iguana.from !== iguana.to ? [iguana] : [])]) {
    const key = `${u.node}\n${u.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ node: u.node, image: u.to });
  }
  return out;
}

/** The plan as operator lines, in the order the job runs it (nnctl prints its own from the same plan). */
export function describeNodeUpgrade(plan: NodeUpgradePlan): string[] {
  const lines = [
    `preflight: ${plan.images.map((i) => `${i.image} on ${i.node}`).join(', ') || 'no new image'}`,
  ];
  if (plan.iguana) lines.push(`stop Iguana (${plan.iguana.unit})`);
  for (const d of plan.daemons)
    lines.push(
      `upgrade ${d.target} (${d.unit ?? 'its unit'} on ${d.node}): ${d.from} -> ${d.to}, health-gated, rolled back on failure`,
    );
  if (plan.iguana) {
    lines.push('unlock stale UTXOs on every daemon');
    const i = plan.iguana;
    lines.push(
      i.from === i.to
        ? `start Iguana (${i.unit}) on ${i.from}`
        : `upgrade Iguana (${i.unit}): ${i.from} -> ${i.to}`,
    );
    lines.push('register the chains with Iguana again');
  }
  return lines;
}

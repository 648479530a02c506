import { type Network, NetworkFileError, parseNetwork } from '@nn/networks';
import { baseLayoutOf, type NodeUnitsDesired, profileOf } from '@nn/node-units';
import {
  buildChainSpec,
  type ChainRecord,
  type ChainSpec,
  type FieldIssue,
  ValidationError,
} from '@nn/orchestrator-core';

// A season change as a plan: the season's network file against the desired state (the chains in Redis
// and the node units `nnctl up` recorded). Pure, so the API shows it (--dry-run) and refuses bad input
// before anything changes, and the season.apply job computes the same plan again when it starts.

/** What the season changes about the node's Iguana (its elected file, seeds, ports, daemon). */
export interface IguanaChange {
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

export interface SeasonPlan {
  readonly network: string;
  /** The images of the stand-ins (the node was brought up with --stand-ins). */
  readonly standIns: boolean;
  /** The assetchain image of the season (the stand-in's with --stand-ins). */
  readonly chainImage: string;
  readonly add: ReadonlyArray<{ id: string; acName: string; p2p: number; rpc: number }>;
  readonly remove: ReadonlyArray<{ id: string; acName: string }>;
  readonly upgrade: ReadonlyArray<{ id: string; from: string; to: string }>;
  readonly keep: readonly string[];
  readonly iguana: readonly IguanaChange[];
  /** Iguana is restarted once at the end: something it notarises or reads changed. */
  readonly restartIguana: boolean;
  /** The node units' desired state after the season (Iguana's part changed); undefined when unchanged. */
  readonly nodeUnits: NodeUnitsDesired | undefined;
}

export interface SeasonInputs {
  /** The season's network file, parsed from JSON (untrusted). */
  readonly network: unknown;
  readonly chains: readonly ChainRecord[];
  /** What `nnctl up` recorded; a season change needs it (it says which daemons and Iguana run). */
  readonly nodeUnits: NodeUnitsDesired | undefined;
  /** The node's notary pubkey; undefined when the jobs have no notary key configured. */
  readonly pubkey: string | undefined;
  /** Host ports no chain may take on any node (the nodes' reservedPorts). */
  readonly reservedPorts?: ReadonlySet<number>;
  /** The schedulable nodes' p2pPorts ranges: a chain's p2p port must be in one (absent: not checked). */
  readonly p2pRanges?: ReadonlyArray<{ readonly from: number; readonly to: number }>;
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : x,
  );

/** The season file checked with the network schema; each problem as a field of the request's `network`. */
export function parseSeasonNetwork(raw: unknown): Network {
  try {
    return parseNetwork(raw, 'network');
  } catch (err) {
    if (!(err instanceof NetworkFileError)) throw err;
    throw new ValidationError(
      err.problems.map((p) => {
        const at = p.indexOf(': ');
        return at < 0
          ? { field: 'network', reason: p }
          : { field: `network.${p.slice(0, at)}`, reason: p.slice(at + 2) };
      }),
    );
  }
}

/**
 * The plan of a season change, or ValidationError naming every field that stops it: a file that fails
 * the schema, an elected list without this node's pubkey, a port two things would take, a chain whose
 * parameters change in place, a daemon of the node (not Iguana) that changes.
 */
export function planSeason(inputs: SeasonInputs): SeasonPlan {
  const network = parseSeasonNetwork(inputs.network);
  const desired = inputs.nodeUnits;
  if (!desired)
    throw new ValidationError({
      field: 'network',
      reason:
        'no node units are recorded (nnctl up records them): a season change applies to a node brought up with nnctl up',
    });
  const issues: FieldIssue[] = [];
  const standIns = desired.layout.programFirst === true;
  const profile = profileOf({ network, file: 'network', shipped: false }, { standIns });
  checkDaemons(network, desired, issues);
  checkElected(network, standIns, inputs.pubkey, issues);
  const target = targetSpecs(network, profile.chainImage, issues);
  checkPorts(network, target, inputs.reservedPorts ?? new Set(), issues);
  const current = new Map(inputs.chains.map((c) => [c.spec.id, c]));
  const plan = chainChanges(target, current, profile.chainImage, issues);
  const added = new Set(plan.add.map((c) => c.id));
  checkRanges(
    target.filter((t) => added.has(t.spec.id)),
    inputs.p2pRanges,
    issues,
  );
  const iguana = iguanaChanges(desired, baseLayoutOf(profile, desired.layout.prefix));
  if (issues.length > 0) throw new ValidationError(issues);
  return {
    network: network.name,
    standIns,
    chainImage: profile.chainImage,
    ...plan,
    iguana: iguana.changes,
    restartIguana:
      desired.layout.daemons.iguana !== null &&
      (iguana.changes.length > 0 || plan.add.length > 0 || plan.remove.length > 0),
    nodeUnits: iguana.changes.length > 0 ? iguana.desired : undefined,
  };
}

type Target = ReadonlyArray<{ index: number; spec: ChainSpec }>;

function targetSpecs(network: Network, image: string, issues: FieldIssue[]): Target {
  const out: Array<{ index: number; spec: ChainSpec }> = [];
  network.assetchains.entries.forEach((entry, index) => {
    try {
      out.push({ index, spec: buildChainSpec({ entry, image }, { image }) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const i of err.issues)
        issues.push({
          field: `network.assetchains.entries[${index}]${i.field.replace(/^entry/, '')}`,
          reason: i.reason,
        });
    }
  });
  return out;
}

/** The node's chain daemons are the whole-node upgrade's to change, not a season's. */
function checkDaemons(network: Network, desired: NodeUnitsDesired, issues: FieldIssue[]): void {
  const now = desired.layout.daemons;
  network.daemons.forEach((d, i) => {
    if (d.role === 'iguana') return;
    const running = d.role === 'main' ? now.main : now.destination;
    if (running && canonical(running) === canonical(d)) return;
    issues.push({
      field: `network.daemons[${i}]`,
      reason: running
        ? `the ${d.role} daemon (${d.chain}) differs from the one the node runs (${running.chain}, ${running.image.ref}): season apply changes the assetchains and Iguana only; upgrade the node's daemons first (nnctl upgrade --network FILE)`
        : `the node runs no ${d.role} daemon: adding one is not a season change (nnctl up --network FILE)`,
    });
  });
  if (now.destination && !network.daemons.some((d) => d.role === 'destination'))
    issues.push({
      field: 'network.daemons',
      reason: `has no destination daemon but the node runs ${now.destination.chain}: removing it is not a season change`,
    });
  const hasIguana = network.daemons.some((d) => d.role === 'iguana');
  if (hasIguana !== (now.iguana !== null))
    issues.push({
      field: 'network.iguana',
      reason: hasIguana
        ? 'the node runs no Iguana: adding one is not a season change (nnctl up --network FILE)'
        : 'the node runs Iguana: removing it is not a season change',
    });
}

/** This node must be one of the season's notaries, or Iguana would run a season it cannot sign in. */
function checkElected(
  network: Network,
  standIns: boolean,
  pubkey: string | undefined,
  issues: FieldIssue[],
): void {
  const notaries = network.iguana?.elected.notaries;
  // The stand-ins, and `local`, run on the node's own local elected file (this node alone).
  if (notaries === undefined || notaries === 'local' || standIns) return;
  const field = 'network.iguana.elected.notaries';
  if (pubkey === undefined) {
    issues.push({ field, reason: 'no notary key is configured on this node, so the list cannot be checked' });
    return;
  }
  const keys = notaries.flatMap((n) => Object.values(n).map((k) => k.toLowerCase()));
  if (!keys.includes(pubkey.toLowerCase()))
    issues.push({
      field,
      reason: `does not list this node's notary pubkey ${pubkey} (${keys.length} notaries): this node is not elected in the season`,
    });
}

/** Every port the node publishes after the season, once: the daemons', Iguana's, each chain's p2p. */
function checkPorts(
  network: Network,
  target: Target,
  reserved: ReadonlySet<number>,
  issues: FieldIssue[],
): void {
  const owner = new Map<number, string>();
  network.daemons.forEach((d) => {
    if (d.role === 'iguana') return;
    owner.set(d.ports.p2p, `the ${d.role} daemon ${d.chain} (p2p)`);
    owner.set(d.ports.rpc, `the ${d.role} daemon ${d.chain} (rpc)`);
  });
  if (network.iguana) {
    owner.set(network.iguana.p2p, "Iguana's notary p2p port");
    owner.set(network.iguana.api, "Iguana's API");
  }
  for (const { index, spec } of target) {
    const field = `network.assetchains.entries[${index}]`;
    for (const [kind, port] of [
      ['p2p', spec.ports.p2p],
      ['rpc', spec.ports.rpc],
    ] as const) {
      const taken = owner.get(port);
      if (taken !== undefined)
        issues.push({ field, reason: `${spec.identity.acName}'s ${kind} port ${port} is also ${taken}` });
      else owner.set(port, `${spec.identity.acName}'s ${kind} port`);
    }
    if (reserved.has(spec.ports.p2p))
      issues.push({
        field,
        reason: `${spec.identity.acName}'s p2p port ${spec.ports.p2p} is reserved on the node (reservedPorts)`,
      });
  }
}

/** An added chain publishes its derived p2p port: some schedulable node must be able to give it. */
function checkRanges(target: Target, ranges: SeasonInputs['p2pRanges'], issues: FieldIssue[]): void {
  if (ranges === undefined) return;
  const text = ranges.map((r) => `${r.from}-${r.to}`).join(', ') || 'none';
  for (const { index, spec } of target)
    if (!ranges.some((r) => spec.ports.p2p >= r.from && spec.ports.p2p <= r.to))
      issues.push({
        field: `network.assetchains.entries[${index}]`,
        reason: `${spec.identity.acName}'s p2p port ${spec.ports.p2p} is outside every schedulable node's p2pPorts (${text})`,
      });
}

function chainChanges(
  target: Target,
  current: ReadonlyMap<string, ChainRecord>,
  image: string,
  issues: FieldIssue[],
): Pick<SeasonPlan, 'add' | 'remove' | 'upgrade' | 'keep'> {
  const add: Array<SeasonPlan['add'][number]> = [];
  const upgrade: Array<SeasonPlan['upgrade'][number]> = [];
  const keep: string[] = [];
  const seen = new Set<string>();
  for (const { index, spec } of target) {
    seen.add(spec.id);
    const now = current.get(spec.id);
    if (!now) {
      add.push({ id: spec.id, acName: spec.identity.acName, ...spec.ports });
      continue;
    }
    if (canonical(now.spec.entry) !== canonical(spec.entry)) {
      const keys = [...new Set([...Object.keys(now.spec.entry), ...Object.keys(spec.entry)])].filter(
        (k) =>
          canonical((now.spec.entry as Record<string, unknown>)[k]) !==
          canonical((spec.entry as Record<string, unknown>)[k]),
      );
      issues.push({
        field: `network.assetchains.entries[${index}]`,
        reason: `${spec.identity.acName} changes ${keys.join(', ')} in place: the desired state keeps a chain's entry as it was added (a consensus parameter makes it another chain in the same data dir), so season apply cannot; remove the chain (nnctl chain rm) and apply the season again`,
      });
      continue;
    }
    if (now.spec.image !== image) upgrade.push({ id: spec.id, from: now.spec.image, to: image });
    else keep.push(spec.id);
  }
  const remove = [...current.values()]
    .filter((c) => !seen.has(c.spec.id))
    .map((c) => ({ id: c.spec.id, acName: c.spec.identity.acName }));
  return { add, remove, upgrade, keep };
}

const IGUANA_FIELDS = [
  ['elected', 'elected'],
  ['addnotary', 'addnotary'],
  ['iguanaP2pPort', 'iguana.p2p'],
  ['iguanaPort', 'iguana.api'],
] as const;

/** Iguana's part of the node units' layout as the season has it, and what differs. */
function iguanaChanges(
  desired: NodeUnitsDesired,
  next: ReturnType<typeof baseLayoutOf>,
): { changes: IguanaChange[]; desired: NodeUnitsDesired } {
  const layout = desired.layout;
  const changes: IguanaChange[] = [];
  if (layout.daemons.iguana === null || next.daemons.iguana === null) return { changes, desired };
  const short = (v: unknown) => {
    const text = v === undefined ? '(none)' : canonical(v);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  };
  for (const [key, field] of IGUANA_FIELDS)
    if (canonical(layout[key]) !== canonical(next[key]))
      changes.push({ field, from: short(layout[key]), to: short(next[key]) });
  if (canonical(layout.daemons.iguana) !== canonical(next.daemons.iguana))
    changes.push({
      field: 'daemons.iguana',
      from: layout.daemons.iguana.image.ref,
      to: next.daemons.iguana.image.ref,
    });
  if (layout.images.iguanaDaemon !== next.images.iguanaDaemon)
    changes.push({
      field: 'images.iguanaDaemon',
      from: layout.images.iguanaDaemon,
      to: next.images.iguanaDaemon,
    });
  const nextLayout = {
    ...layout,
    daemons: { ...layout.daemons, iguana: next.daemons.iguana },
    images: { ...layout.images, iguanaDaemon: next.images.iguanaDaemon },
    ...(next.elected ? { elected: next.elected } : {}),
    ...(next.addnotary ? { addnotary: next.addnotary } : {}),
    ...(next.iguanaP2pPort ? { iguanaP2pPort: next.iguanaP2pPort } : {}),
    ...(next.iguanaPort ? { iguanaPort: next.iguanaPort } : {}),
  };
  return { changes, desired: { ...desired, layout: nextLayout } };
}

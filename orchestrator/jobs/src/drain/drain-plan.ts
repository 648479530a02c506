import type { ChainRecord, NodeRefusal, NodeSpec } from '@nn/orchestrator-core';
import type { NodeUsage } from '@nn/orchestrator-state';

/** Where each chain of a drained node would go, and the chains that could go nowhere (with why). */
export interface DrainPlan {
  readonly node: string;
  readonly moves: ReadonlyArray<{ readonly chainId: string; readonly to: string }>;
  readonly stranded: ReadonlyArray<{ readonly chainId: string; readonly refusals: readonly NodeRefusal[] }>;
}

export interface DrainPlanInput {
  readonly node: string;
  readonly chains: readonly ChainRecord[];
  readonly nodes: readonly NodeSpec[];
  readonly usage: ReadonlyMap<string, NodeUsage>;
  /** Nodes whose engine does not answer now: nothing can be deployed there. */
  readonly unreachable: ReadonlySet<string>;
}

/** What is taken on a candidate node, as the plan fills it. */
interface Room {
  readonly spec: NodeSpec;
  memoryBytes: number;
  diskBytes: number;
  chains: number;
  readonly ports: Set<number>;
}

function roomOf(spec: NodeSpec, usage: NodeUsage | undefined): Room {
  return {
    spec,
    memoryBytes: usage?.memoryBytes ?? 0,
    diskBytes: usage?.diskBytes ?? 0,
    chains: usage?.chains ?? 0,
    ports: new Set(usage?.ports.keys() ?? []),
  };
}

function freeSidecarPort(room: Room): number | undefined {
  const { sidecarPorts, reservedPorts } = room.spec.capacity;
  for (let p = sidecarPorts.from; p <= sidecarPorts.to; p++)
    if (!reservedPorts.includes(p) && !room.ports.has(p)) return p;
  return undefined;
}

/** Why the chain cannot go to this node, as placement's script would say; undefined when it fits. */
function refusalOf(chain: ChainRecord, room: Room, unreachable: ReadonlySet<string>): string | undefined {
  const { capacity, name } = room.spec;
  const p2p = chain.spec.ports.p2p;
  const { memoryBytes, diskBytes } = chain.spec.resources;
  if (!room.spec.schedulable) return 'not schedulable (drained or lost)';
  if (unreachable.has(name)) return 'its engine does not answer';
  if (p2p < capacity.p2pPorts.from || p2p > capacity.p2pPorts.to)
    return `p2p port ${p2p} is outside the node p2p range ${capacity.p2pPorts.from}-${capacity.p2pPorts.to}`;
  if (capacity.reservedPorts.includes(p2p)) return `p2p port ${p2p} is reserved on the node`;
  if (room.ports.has(p2p)) return `p2p port ${p2p} is already taken`;
  if (room.memoryBytes + memoryBytes > capacity.memoryBytes)
    return `memory: ${room.memoryBytes} of ${capacity.memoryBytes} bytes reserved, ${memoryBytes} more needed`;
  if (room.diskBytes + diskBytes > capacity.diskBytes)
    return `disk: ${room.diskBytes} of ${capacity.diskBytes} bytes reserved, ${diskBytes} more needed`;
  if (freeSidecarPort(room) === undefined)
    return `no free sidecar port in ${capacity.sidecarPorts.from}-${capacity.sidecarPorts.to}`;
  return undefined;
}

const loadOf = (r: Room) =>
  Math.max(r.memoryBytes / r.spec.capacity.memoryBytes, r.diskBytes / r.spec.capacity.diskBytes);

/**
 * The drain's preflight: every chain placed on `node` is fitted, in id order, onto the other nodes as
 * placement would place it (schedulable, engine answering, p2p port in range and free, memory, disk
 * and a sidecar port left, least loaded first), each fit taking its room for the next. A chain pinned
 * to the node (requestedNode) can go nowhere. The job's own placement may pick another node of those
 * that fit; the plan only proves that every chain has somewhere to go. Pure: tested alone.
 */
export function planDrain(input: DrainPlanInput): DrainPlan {
  const rooms = input.nodes
    .filter((n) => n.name !== input.node)
    .map((n) => roomOf(n, input.usage.get(n.name)));
  const placed = input.chains
    .filter((c) => c.placement?.node === input.node)
    .sort((a, b) => a.spec.id.localeCompare(b.spec.id));
  const moves: Array<{ chainId: string; to: string }> = [];
  const stranded: Array<{ chainId: string; refusals: NodeRefusal[] }> = [];
  for (const chain of placed) {
    const pinned = chain.spec.requestedNode;
    if (pinned !== undefined) {
      stranded.push({
        chainId: chain.spec.id,
        refusals: [{ node: pinned, reason: `the chain asked for node ${pinned} (requested node)` }],
      });
      continue;
    }
    const refusals: NodeRefusal[] = [];
    const fits: Room[] = [];
    for (const room of rooms) {
      const reason = refusalOf(chain, room, input.unreachable);
      if (reason === undefined) fits.push(room);
      else refusals.push({ node: room.spec.name, reason });
    }
    fits.sort(
      (a, b) => loadOf(a) - loadOf(b) || a.chains - b.chains || a.spec.name.localeCompare(b.spec.name),
    );
    const pick = fits[0];
    if (!pick) {
      stranded.push({
        chainId: chain.spec.id,
        refusals: refusals.length ? refusals : [{ node: input.node, reason: 'no other node is registered' }],
      });
      continue;
    }
    pick.memoryBytes += chain.spec.resources.memoryBytes;
    pick.diskBytes += chain.spec.resources.diskBytes;
    pick.chains += 1;
    pick.ports.add(chain.spec.ports.p2p);
    const sidecar = freeSidecarPort(pick);
    if (sidecar !== undefined) pick.ports.add(sidecar);
    moves.push({ chainId: chain.spec.id, to: pick.spec.name });
  }
  return { node: input.node, moves, stranded };
}

/** The plan's refusal as one line: each stranded chain and, per node, why it cannot go there. */
export function strandedReason(plan: DrainPlan): string {
  return plan.stranded
    .map(
      (s) => `${s.chainId} has nowhere to go (${s.refusals.map((r) => `${r.node}: ${r.reason}`).join('; ')})`,
    )
    .join('; ');
}

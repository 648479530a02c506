import {
  CapacityError,
  type ChainRecord,
  type NodeRefusal,
  type NodeSpec,
  NotFoundError,
  type PlacementConstraints,
  type PlacementDecision,
  PlacementError,
  parseOrThrow,
  placementConstraintsSchema,
  placementSchema,
} from '@nn/orchestrator-core';
import type { Redis } from 'ioredis';
import type { ChainRepository } from './chain-repository.js';
import type { StateKeys } from './keys.js';
import { PLACE_CHAIN, RELEASE_CHAIN } from './lua/placement-scripts.js';
import { replyStrings } from './lua-script.js';
import type { NodeRepository } from './node-repository.js';
import { parseJsonAt, validateAt } from './read-back.js';

// Placement is two-phase: candidates are filtered here (constraints, labels, port ranges) so refusals read
// well, then one Lua script re-checks every remaining node against Redis, picks the least loaded and writes
// the allocation atomically. Concurrent placements are therefore serialised by Redis: the second sees the
// first's port and reservation, and goes elsewhere or fails.

function labelMismatch(node: NodeSpec, wanted: Record<string, string> | undefined): string | undefined {
  for (const [key, value] of Object.entries(wanted ?? {}))
    if (node.labels[key] !== value) return `lacks label ${key}=${value}`;
  return undefined;
}

export class PlacementService {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    private readonly chains: ChainRepository,
    private readonly nodes: NodeRepository,
  ) {}

  /**
   * Places a chain on a node, allocating its derived p2p port and a sidecar port there and reserving its
   * memory and disk. Idempotent: an already placed chain gets its placement back (`alreadyPlaced`).
   *
   * `nodes` are the candidates (default: every registered node); each is checked against its spec as
   * stored in Redis. A chain that asked for a node (spec.requestedNode) only goes there; NotFoundError
   * naming `node` when that node is not registered. CapacityError when every refusal is about memory,
   * disk or sidecar ports, PlacementError otherwise (port taken, outside ranges, constraints).
   */
  async place(
    chain: ChainRecord | string,
    nodes?: readonly NodeSpec[],
    constraints: PlacementConstraints = {},
  ): Promise<PlacementDecision> {
    const rules = parseOrThrow(placementConstraintsSchema, constraints, 'constraints');
    const record = await this.chains.get(typeof chain === 'string' ? chain : chain.spec.id);
    const { spec } = record;
    if (record.placement) return { chainId: spec.id, placement: record.placement, alreadyPlaced: true };

    const candidates = await this.candidates(spec.id, spec.requestedNode, nodes);
    const refusals: NodeRefusal[] = [];
    let capacityOnly = true;
    const refuse = (node: string, reason: string, capacity = false) => {
      refusals.push({ node, reason });
      if (!capacity) capacityOnly = false;
    };

    const eligible: NodeSpec[] = [];
    for (const node of candidates) {
      const { p2pPorts, reservedPorts } = node.capacity;
      const p2p = spec.ports.p2p;
      if (rules.excludeNodes?.includes(node.name)) refuse(node.name, 'excluded');
      else if (!node.schedulable) refuse(node.name, 'not schedulable (drained or lost)');
      else if (labelMismatch(node, rules.labels)) refuse(node.name, labelMismatch(node, rules.labels) ?? '');
      else if (p2p < p2pPorts.from || p2p > p2pPorts.to)
        refuse(node.name, `p2p port ${p2p} is outside the node p2p range ${p2pPorts.from}-${p2pPorts.to}`);
      else if (reservedPorts.includes(p2p)) refuse(node.name, `p2p port ${p2p} is reserved on the node`);
      else eligible.push(node);
    }

    if (eligible.length > 0) {
      const outcome = await this.placeOnOne(record, eligible);
      if ('placement' in outcome)
        return { chainId: spec.id, placement: outcome.placement, alreadyPlaced: outcome.kind === 'already' };
      for (const r of outcome.refusals) refuse(r.node, r.reason, r.capacity);
    }
    if (capacityOnly && refusals.length > 0) throw new CapacityError(spec.id, refusals);
    throw new PlacementError(spec.id, refusals);
  }

  /**
   * Gives back the chain's ports and reservation (removal, or before re-placing it after its node was
   * lost). Returns false when it was not placed.
   */
  async release(chain: ChainRecord | string): Promise<boolean> {
    const id = typeof chain === 'string' ? chain : chain.spec.id;
    for (let attempt = 1; attempt <= 10; attempt++) {
      const record = await this.chains.get(id);
      if (!record.placement) return false;
      const node = record.placement.node;
      const k = this.keys;
      const reply = replyStrings(
        await RELEASE_CHAIN.run(
          this.redis,
          [k.chain(record.spec.id), k.nodePorts(node), k.nodeAlloc(node), k.nodeUsage(node)],
          [record.spec.id, node, new Date().toISOString()],
        ),
        RELEASE_CHAIN.name,
      );
      if (reply[0] === 'OK') return true;
      if (reply[0] === 'NONE') return false;
      if (reply[0] === 'NOCHAIN') throw new NotFoundError('chainId', 'chain', id);
      // STALE: re-placed meanwhile; read again.
    }
    throw new PlacementError(id, [], 'placement kept changing while being released');
  }

  private async candidates(
    chainId: string,
    requested: string | undefined,
    given: readonly NodeSpec[] | undefined,
  ): Promise<NodeSpec[]> {
    if (requested !== undefined) {
      const stored = await this.nodes.find(requested);
      if (stored === undefined) throw new NotFoundError('node', 'node', requested);
      if (given !== undefined && !given.some((n) => n.name === requested))
        throw new PlacementError(chainId, [{ node: requested, reason: 'not among the nodes available now' }]);
      return [stored];
    }
    if (given === undefined) return this.nodes.list();
    const stored = await Promise.all(given.map((n) => this.nodes.find(n.name)));
    const missing = given.find((_, i) => stored[i] === undefined);
    if (missing) throw new NotFoundError('node', 'node', missing.name);
    return stored as NodeSpec[];
  }

  private async placeOnOne(
    record: ChainRecord,
    nodes: readonly NodeSpec[],
  ): Promise<
    | { kind: 'placed' | 'already'; placement: NonNullable<ChainRecord['placement']> }
    | { kind: 'refused'; refusals: { node: string; reason: string; capacity: boolean }[] }
  > {
    const { spec } = record;
    const k = this.keys;
    // Everything but the node and sidecar port, which the script picks and appends with the closing brace.
    const head = JSON.stringify({
      p2pPort: spec.ports.p2p,
      memoryBytes: spec.resources.memoryBytes,
      diskBytes: spec.resources.diskBytes,
      placedAt: new Date().toISOString(),
    });
    const reply = replyStrings(
      await PLACE_CHAIN.run(
        this.redis,
        [
          k.chain(spec.id),
          ...nodes.flatMap((n) => [
            k.node(n.name),
            k.nodePorts(n.name),
            k.nodeAlloc(n.name),
            k.nodeUsage(n.name),
          ]),
        ],
        [
          spec.id,
          spec.ports.p2p,
          String(spec.resources.memoryBytes),
          String(spec.resources.diskBytes),
          `${head.slice(0, -1)},`,
          new Date().toISOString(),
          ...nodes.map((n) => n.name),
        ],
      ),
      PLACE_CHAIN.name,
    );
    const [status, detail = ''] = reply;
    const location = `${k.chain(spec.id)}#placement`;
    if (status === 'OK' || status === 'ALREADY')
      return {
        kind: status === 'OK' ? 'placed' : 'already',
        placement: validateAt(location, placementSchema, parseJsonAt(location, detail)),
      };
    if (status === 'NOCHAIN') throw new NotFoundError('chainId', 'chain', spec.id);
    const refusals: { node: string; reason: string; capacity: boolean }[] = [];
    for (let i = 1; i + 2 < reply.length; i += 3)
      refusals.push({
        node: reply[i] ?? '',
        capacity: reply[i + 1] === 'capacity',
        reason: reply[i + 2] ?? '',
      });
    return { kind: 'refused', refusals };
  }
}

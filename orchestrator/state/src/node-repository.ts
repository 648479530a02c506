import {
  type ChainId,
  ConflictError,
  CorruptStateError,
  type NodeName,
  type NodeSpec,
  type NodeSpecInput,
  NotFoundError,
  nodeSpecSchema,
  parseOrThrow,
} from '@nn/orchestrator-core';
import type { Redis } from 'ioredis';
import { checkNodeName } from './ids.js';
import type { StateKeys } from './keys.js';
import { REMOVE_NODE, UPSERT_NODE } from './lua/node-scripts.js';
import { replyStrings } from './lua-script.js';
import { parseJsonAt, validateAt } from './read-back.js';

/** What is reserved on a node right now. */
export interface NodeUsage {
  readonly node: NodeName;
  readonly memoryBytes: number;
  readonly diskBytes: number;
  readonly chains: number;
  /** Allocated host ports: port → owner (`chainId/p2p` or `chainId/sidecar`). */
  readonly ports: ReadonlyMap<number, { chainId: ChainId; kind: 'p2p' | 'sidecar' }>;
}

const COUNTER = /^-?\d{1,16}$/;

/** The node (engine) inventory: specs with capacity and labels, and what placement reserved on each. */
export class NodeRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  /** Adds or replaces a node (capacity changes apply to later placements only). */
  async upsert(input: NodeSpecInput | NodeSpec): Promise<NodeSpec> {
    const spec = parseOrThrow(nodeSpecSchema, input);
    await UPSERT_NODE.run(
      this.redis,
      [this.keys.nodes, this.keys.node(spec.name)],
      [spec.name, JSON.stringify(spec)],
    );
    return spec;
  }

  async find(name: string): Promise<NodeSpec | undefined> {
    const key = this.keys.node(checkNodeName(name));
    const raw = await this.redis.get(key);
    return raw === null ? undefined : validateAt(key, nodeSpecSchema, parseJsonAt(key, raw));
  }

  /** The node; NotFoundError naming `node` when it is not registered. */
  async get(name: string): Promise<NodeSpec> {
    const spec = await this.find(name);
    if (spec === undefined) throw new NotFoundError('node', 'node', name);
    return spec;
  }

  /** Every registered node, ordered by name. */
  async list(): Promise<NodeSpec[]> {
    const names = (await this.redis.smembers(this.keys.nodes)).sort();
    if (names.length === 0) return [];
    const raws = await this.redis.mget(names.map((n) => this.keys.node(checkNodeName(n))));
    return names.map((name, i) => {
      const key = this.keys.node(name);
      const raw = raws[i];
      if (raw === null || raw === undefined)
        throw new CorruptStateError(this.keys.nodes, `lists ${name} but ${key} does not exist`);
      return validateAt(key, nodeSpecSchema, parseJsonAt(key, raw));
    });
  }

  /** Removes a node that has no chain placed on it; ConflictError otherwise. */
  async remove(name: string): Promise<boolean> {
    const n = checkNodeName(name);
    const k = this.keys;
    const reply = replyStrings(
      await REMOVE_NODE.run(
        this.redis,
        [k.nodes, k.node(n), k.nodePorts(n), k.nodeAlloc(n), k.nodeUsage(n)],
        [n],
      ),
      REMOVE_NODE.name,
    );
    if (reply[0] === 'BUSY') throw new ConflictError('node', `${reply[1]} chain(s) are still placed on ${n}`);
    return reply[0] === 'OK';
  }

  /** Reservations and allocated ports on the node, read in one round trip. */
  async usage(name: string): Promise<NodeUsage> {
    const node = checkNodeName(name);
    const usageKey = this.keys.nodeUsage(node);
    const portsKey = this.keys.nodePorts(node);
    const replies = await this.redis.multi().hgetall(usageKey).hgetall(portsKey).exec();
    const [usageReply, portsReply] = replies ?? [];
    if (usageReply?.[0]) throw usageReply[0];
    if (portsReply?.[0]) throw portsReply[0];
    const totals = (usageReply?.[1] ?? {}) as Record<string, string>;
    const counter = (field: string): number => {
      const raw = totals[field] ?? '0';
      if (!COUNTER.test(raw) || Number(raw) < 0)
        throw new CorruptStateError(`${usageKey}#${field}`, `bad counter "${raw}"`);
      return Number(raw);
    };
    const ports = new Map<number, { chainId: ChainId; kind: 'p2p' | 'sidecar' }>();
    for (const [port, owner] of Object.entries((portsReply?.[1] ?? {}) as Record<string, string>)) {
      const match = /^([a-z][a-z0-9-]{0,62})\/(p2p|sidecar)$/.exec(owner);
      if (!/^\d{1,5}$/.test(port) || !match)
        throw new CorruptStateError(`${portsKey}#${port}`, `bad port owner "${owner}"`);
      ports.set(Number(port), { chainId: match[1] as ChainId, kind: match[2] as 'p2p' | 'sidecar' });
    }
    return {
      node,
      memoryBytes: counter('memoryBytes'),
      diskBytes: counter('diskBytes'),
      chains: counter('chains'),
      ports,
    };
  }
}

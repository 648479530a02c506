import { ValidationError } from '@nn/orchestrator-core';

// Every key the state store writes, in one place (the README documents the layout). Ids and node names
// reach this module only after their schemas passed (DNS labels), so a key can never be steered into
// another key's space.

export const DEFAULT_PREFIX = 'nn:';
const PREFIX = /^[A-Za-z0-9{}_.:-]{1,64}$/;

export interface StateKeys {
  readonly prefix: string;
  /** Set of every chain id. */
  readonly chains: string;
  /** Hash identity key (`ac_name@datadir`) → chain id: the uniqueness of identities. */
  readonly chainsByIdentity: string;
  /** Hash datadir → chain id: no two chains share a data dir. */
  readonly chainsByDatadir: string;
  /** Hash of one chain: spec, status, statusReason, placement, version, createdAt, updatedAt. */
  chain(id: string): string;
  /** Set of every node name. */
  readonly nodes: string;
  /** String: the node's spec as JSON. */
  node(name: string): string;
  /** Hash port → `chainId/p2p` | `chainId/sidecar`: the host ports allocated on the node. */
  nodePorts(name: string): string;
  /** Hash chainId → `memoryBytes:diskBytes`: what each placed chain reserved on the node. */
  nodeAlloc(name: string): string;
  /** Hash memoryBytes, diskBytes, chains: running totals of nodeAlloc. */
  nodeUsage(name: string): string;
  /** String with TTL: the token of the job holding the chain's lease. */
  lease(chainId: string): string;
  /** String with TTL: the id of the chain's pending (queued, not yet started) job. */
  pending(chainId: string): string;
  /** String with TTL: the last live status of a chain (`chain:<id>`) or a node unit (`base:kmd`), JSON. */
  live(subject: string): string;
  /** String with TTL: a recurring chore (`split:<coin>`) claimed for its interval by one worker. */
  chore(name: string): string;
  /** String: the node's own units (destination, main chain, Iguana) as desired state, JSON. */
  readonly nodeUnits: string;
  /** String with TTL: the token of the job reconciling the node's own units. */
  readonly nodeUnitsLease: string;
  /** Hash subject (`chain:<id>`, `unit:<role>`) → JSON: why the last try failed, how many, when next. */
  readonly repairs: string;
}

/** The key layout under `prefix` (default `nn:`). For Redis Cluster use a hash tag, e.g. `{nn}:`. */
export function stateKeys(prefix: string = DEFAULT_PREFIX): StateKeys {
  if (!PREFIX.test(prefix))
    throw new ValidationError({
      field: 'prefix',
      reason: 'must be 1-64 of A-Z, a-z, 0-9, "{", "}", "_", ".", ":", "-"',
    });
  return {
    prefix,
    chains: `${prefix}chains`,
    chainsByIdentity: `${prefix}chains:by-identity`,
    chainsByDatadir: `${prefix}chains:by-datadir`,
    chain: (id) => `${prefix}chain:${id}`,
    nodes: `${prefix}nodes`,
    node: (name) => `${prefix}node:${name}`,
    nodePorts: (name) => `${prefix}node:${name}:ports`,
    nodeAlloc: (name) => `${prefix}node:${name}:alloc`,
    nodeUsage: (name) => `${prefix}node:${name}:usage`,
    lease: (chainId) => `${prefix}lease:chain:${chainId}`,
    pending: (chainId) => `${prefix}pending:chain:${chainId}`,
    live: (subject) => `${prefix}live:${subject}`,
    chore: (name) => `${prefix}chore:${name}`,
    nodeUnits: `${prefix}node-units`,
    nodeUnitsLease: `${prefix}lease:node-units`,
    repairs: `${prefix}repairs`,
  };
}

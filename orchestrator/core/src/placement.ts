import { z } from 'zod';
import type { ChainId } from './chain-id.js';
import { labelsSchema, type NodeName, nodeNameSchema } from './names.js';
import type { ChainResources } from './resources.js';

const port = z.number().int().min(1).max(65535);

/** Limits on where a chain may go, beyond capacity. */
export const placementConstraintsSchema = z.strictObject({
  /** The node must carry every one of these labels with the same value. */
  labels: labelsSchema.optional(),
  /** Nodes never to use (e.g. the one being drained or lost). */
  excludeNodes: z.array(nodeNameSchema).max(1000).optional(),
});
export type PlacementConstraints = z.infer<typeof placementConstraintsSchema>;

/** What placement needs to know about a chain. */
export interface PlacementRequest {
  readonly chainId: ChainId;
  /** The p2p port the chain must publish: its derived port, which peers dial by default. */
  readonly p2pPort: number;
  readonly resources: ChainResources;
  /** The node the operator asked for; no other node is considered when set. */
  readonly requestedNode?: NodeName | undefined;
  readonly constraints?: PlacementConstraints | undefined;
}

/**
 * A chain's place: the node, the host ports it holds there (its p2p port, published; its sidecar's API
 * port on the cluster network) and the resources reserved, so releasing gives back exactly those.
 */
export const placementSchema = z.strictObject({
  node: nodeNameSchema,
  p2pPort: port,
  sidecarPort: port,
  memoryBytes: z.number().int().nonnegative(),
  diskBytes: z.number().int().nonnegative(),
  placedAt: z.iso.datetime(),
});
export type Placement = z.infer<typeof placementSchema>;

/** The outcome of place(): the placement, and whether it already existed (an idempotent re-run). */
export interface PlacementDecision {
  readonly chainId: ChainId;
  readonly placement: Placement;
  readonly alreadyPlaced: boolean;
}

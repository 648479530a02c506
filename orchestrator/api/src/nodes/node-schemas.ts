import { nodeNameSchema } from '@nn/orchestrator-core';
import { z } from 'zod';

// The node routes' params, bodies and replies (zod and core only: routes.ts, and so nnctl, load them).

export const nodeNameParamsSchema = z.strictObject({ name: nodeNameSchema });

/** POST /v1/nodes/:name/drain: `resync` moves chains on fresh volumes instead of streaming their data. */
export const drainNodeBodySchema = z.strictObject({
  resync: z.boolean({ error: 'must be true or false' }).optional(),
});

export const drainAcceptedSchema = z.object({
  jobId: z.string(),
  name: z.literal('node.drain'),
  node: z.string(),
  mode: z.enum(['transfer', 'resync']),
  /** Where the preflight fitted each chain (the moves' own placement may pick another node that fits). */
  moves: z.array(z.object({ chainId: z.string(), to: z.string() })),
});
export type DrainAccepted = z.infer<typeof drainAcceptedSchema>;

export const undrainReplySchema = z.object({
  node: z.string(),
  schedulable: z.literal(true),
  /** False when the node was schedulable already. */
  changed: z.boolean(),
});

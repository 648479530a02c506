import { nodeWalletTargetSchema } from '@nn/orchestrator-core';
import { z } from 'zod';

// The node wallets' requests and replies (reset, consolidate) (zod and core only: nnctl loads them with the routes).

/** `target`: main (KMD, KMDCL) or destination (LTC), aliases resolved by nnctl. */
export const nodeWalletResetRequestSchema = z.strictObject({ target: nodeWalletTargetSchema });

export const nodeWalletResetAcceptedSchema = z.strictObject({
  jobId: z.string(),
  name: z.literal('node.wallet-reset'),
  target: nodeWalletTargetSchema,
});

/** POST /v1/node/consolidate takes the same target words. */
export const nodeConsolidateRequestSchema = nodeWalletResetRequestSchema;

export const nodeConsolidateAcceptedSchema = z.strictObject({
  jobId: z.string(),
  name: z.literal('node.consolidate'),
  target: nodeWalletTargetSchema,
});

import { nodeWalletTargetSchema } from '@nn/orchestrator-core';
import { z } from 'zod';

// The node wallet reset's request and reply (zod and core only: nnctl loads them with the routes).

/** `target`: main (KMD, KMDCL) or destination (LTC), aliases resolved by nnctl. */
export const nodeWalletResetRequestSchema = z.strictObject({ target: nodeWalletTargetSchema });

export const nodeWalletResetAcceptedSchema = z.strictObject({
  jobId: z.string(),
  name: z.literal('node.wallet-reset'),
  target: nodeWalletTargetSchema,
});

import { nodeUpgradeImagesSchema, nodeUpgradePlanSchema } from '@nn/orchestrator-core';
import { z } from 'zod';

// The whole-node upgrade's request and replies (zod and core only: nnctl loads them with the routes).

/** `images`: target → image, in core's grammar (destination, main, iguana, assetchains, chain:<id>). */
export const nodeUpgradeRequestSchema = z.strictObject({ images: nodeUpgradeImagesSchema });

/** The plan and its steps as operator lines, in the order the job runs them. */
export const nodeUpgradePlanReplySchema = z.strictObject({
  plan: nodeUpgradePlanSchema,
  steps: z.array(z.string()),
});
export type NodeUpgradePlanReply = z.infer<typeof nodeUpgradePlanReplySchema>;

export const nodeUpgradeAcceptedSchema = nodeUpgradePlanReplySchema.extend({
  jobId: z.string(),
  name: z.literal('node.upgrade'),
});

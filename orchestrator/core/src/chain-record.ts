import { z } from 'zod';
import { chainSpecSchema } from './chain-spec.js';
import { chainStatusSchema } from './chain-status.js';
import { placementSchema } from './placement.js';

/** A chain as the state store holds it: the spec, where it is in its life, where it runs. */
export const chainRecordSchema = z.strictObject({
  spec: chainSpecSchema,
  status: chainStatusSchema,
  /** Why the chain is failed or degraded; a short operator-facing text, never a secret. */
  statusReason: z.string().max(1000).optional(),
  placement: placementSchema.optional(),
  /** Bumped by every change; optimistic updates name the version they read. */
  version: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ChainRecord = z.infer<typeof chainRecordSchema>;

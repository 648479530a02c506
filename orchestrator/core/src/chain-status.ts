import { z } from 'zod';

/**
 * Where a chain is in its life. `requested` → `placed` → `provisioning` → `starting` → `syncing` →
 * `ready`; `upgrading`, `restarting`, `stopped`, `removing`; `failed` holds the reason in statusReason.
 */
export const CHAIN_STATUSES = [
  'requested',
  'placed',
  'provisioning',
  'starting',
  'syncing',
  'ready',
  'restarting',
  'upgrading',
  'stopped',
  'removing',
  'failed',
] as const;

export const chainStatusSchema = z.enum(CHAIN_STATUSES, {
  error: `must be one of ${CHAIN_STATUSES.join(', ')}`,
});
export type ChainStatus = z.infer<typeof chainStatusSchema>;

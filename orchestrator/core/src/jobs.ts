import { z } from 'zod';
import { chainIdSchema } from './chain-id.js';
import { imageRefSchema } from './image-ref.js';
import { actorSchema, nodeNameSchema } from './names.js';
import { nodeUpgradeImagesSchema } from './node-upgrade.js';
import { nodeWalletTargetSchema } from './node-wallet-reset.js';
import { parseOrThrow } from './zod-issues.js';

// BullMQ job data. Jobs carry ids and references only: the chain's spec and secrets are read by the worker
// from the state store and the secret store when the step needs them, so nothing secret sits in Redis job
// hashes, the dashboard or failed-job dumps. Strict objects make a smuggled `rpcpassword` a validation
// error instead of a silently stored field.

export const JOB_NAMES = {
  chainAdd: 'chain.add',
  chainRemove: 'chain.remove',
  chainRestart: 'chain.restart',
  chainUpgrade: 'chain.upgrade',
  chainWalletReset: 'chain.wallet-reset',
  chainConsolidate: 'chain.consolidate',
  nodeUpgrade: 'node.upgrade',
  nodeWalletReset: 'node.wallet-reset',
  nodeConsolidate: 'node.consolidate',
  reconcile: 'reconcile',
  nodeDrain: 'node.drain',
  chainMove: 'chain.move',
  seasonApply: 'season.apply',
} as const;
export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

const reason = z
  .string()
  .max(200, { error: 'at most 200 characters' })
  .regex(/^[\x20-\x7e]*$/, { error: 'printable ASCII only' });

export const chainAddJobSchema = z.strictObject({
  chainId: chainIdSchema,
  requestedBy: actorSchema.optional(),
});

export const chainRemoveJobSchema = z.strictObject({
  chainId: chainIdSchema,
  /** Keep the data volume (blocks, wallet.dat) after the unit is gone. */
  keepData: z.boolean({ error: 'must be true or false' }),
  requestedBy: actorSchema.optional(),
});

export const chainRestartJobSchema = z.strictObject({
  chainId: chainIdSchema,
  reason: reason.optional(),
  requestedBy: actorSchema.optional(),
});

export const chainUpgradeJobSchema = z.strictObject({
  chainId: chainIdSchema,
  /** The image to move to; the current one is read from state when the job starts (for rollback). */
  image: imageRefSchema,
  requestedBy: actorSchema.optional(),
});

export const chainWalletResetJobSchema = z.strictObject({
  chainId: chainIdSchema,
  /** manual: an operator asked; auto: the status poller saw wallet.dat past the threshold. */
  trigger: z.enum(['manual', 'auto'], { error: 'must be manual or auto' }),
  requestedBy: actorSchema.optional(),
});

export const chainConsolidateJobSchema = z.strictObject({
  chainId: chainIdSchema,
  requestedBy: actorSchema.optional(),
});

/** A whole-node upgrade: no chain id (it is the node's job, under the node units' lease). */
export const nodeUpgradeJobSchema = z.strictObject({
  /** Target (destination, main, iguana, assetchains, chain:<id>) → image; see node-upgrade.ts. */
  images: nodeUpgradeImagesSchema,
  requestedBy: actorSchema.optional(),
});

/** A wallet reset of one of the node's own daemons (no chain id: under the node units' lease). */
export const nodeWalletResetJobSchema = z.strictObject({
  target: nodeWalletTargetSchema,
  /**
   * As chain.wallet-reset's: manual (an operator asked), auto (the status poller saw wallet.dat past the
   * threshold). Absent on jobs queued before the field: manual.
   */
  trigger: z.enum(['manual', 'auto'], { error: 'must be manual or auto' }).optional(),
  requestedBy: actorSchema.optional(),
});

/** A consolidation of one of the node's own wallets (no chain id: under the node units' lease). */
export const nodeConsolidateJobSchema = z.strictObject({
  target: nodeWalletTargetSchema,
  requestedBy: actorSchema.optional(),
});

/**
 * Empty a node: cordon it, then one chain.move per chain on it. transfer: each data volume streamed to
 * the new node; resync: a fresh volume and sync; lost: the node's engine stopped answering for longer
 * than nodeLostGraceMs (queued by the sweep), fresh volumes, nothing asked of the lost engine.
 */
export const nodeDrainJobSchema = z.strictObject({
  node: nodeNameSchema,
  mode: z.enum(['transfer', 'resync', 'lost'], { error: 'must be transfer, resync or lost' }),
  requestedBy: actorSchema.optional(),
});

/** One chain off node `from`, stop-first (see nodeDrainJobSchema for the modes; fresh = a lost node's). */
export const chainMoveJobSchema = z.strictObject({
  chainId: chainIdSchema,
  from: nodeNameSchema,
  mode: z.enum(['transfer', 'resync', 'fresh'], { error: 'must be transfer, resync or fresh' }),
  requestedBy: actorSchema.optional(),
});

export const reconcileJobSchema = z.strictObject({
  /** The chain to reconcile; absent for a sweep over every chain. */
  chainId: chainIdSchema.optional(),
  trigger: z.enum(['event', 'sweep', 'manual'], { error: 'must be event, sweep or manual' }),
});

export const seasonApplyJobSchema = z.strictObject({
  /**
   * The season's network file, parsed from JSON. It carries no secret (ports, images, entries, the
   * elected list); the worker checks it again with @nn/networks' schema, which core does not import.
   */
  network: z.record(z.string(), z.unknown(), { error: 'must be a network file (an object)' }),
  /** Keep the data volumes of the chains the season removes. */
  keepData: z.boolean({ error: 'must be true or false' }),
  requestedBy: actorSchema.optional(),
});

export const jobDataSchemas = {
  'chain.add': chainAddJobSchema,
  'chain.remove': chainRemoveJobSchema,
  'chain.restart': chainRestartJobSchema,
  'chain.upgrade': chainUpgradeJobSchema,
  'chain.wallet-reset': chainWalletResetJobSchema,
  'chain.consolidate': chainConsolidateJobSchema,
  'node.upgrade': nodeUpgradeJobSchema,
  'node.wallet-reset': nodeWalletResetJobSchema,
  'node.consolidate': nodeConsolidateJobSchema,
  reconcile: reconcileJobSchema,
  'node.drain': nodeDrainJobSchema,
  'chain.move': chainMoveJobSchema,
  'season.apply': seasonApplyJobSchema,
} as const satisfies Record<JobName, z.ZodType>;

export type JobDataMap = { [N in JobName]: z.infer<(typeof jobDataSchemas)[N]> };
export type ChainAddJobData = JobDataMap['chain.add'];
export type ChainRemoveJobData = JobDataMap['chain.remove'];
export type ChainRestartJobData = JobDataMap['chain.restart'];
export type ChainUpgradeJobData = JobDataMap['chain.upgrade'];
export type ChainWalletResetJobData = JobDataMap['chain.wallet-reset'];
export type ChainConsolidateJobData = JobDataMap['chain.consolidate'];
export type NodeUpgradeJobData = JobDataMap['node.upgrade'];
export type NodeWalletResetJobData = JobDataMap['node.wallet-reset'];
export type NodeConsolidateJobData = JobDataMap['node.consolidate'];
export type ReconcileJobData = JobDataMap['reconcile'];
export type NodeDrainJobData = JobDataMap['node.drain'];
export type ChainMoveJobData = JobDataMap['chain.move'];
export type SeasonApplyJobData = JobDataMap['season.apply'];

/** The steps of each job, in order, for per-step progress (`step`, `index/total`). */
export const JOB_STEPS = {
  'chain.add': [
    'validate',
    'place',
    'images',
    'volumes',
    'secrets',
    'create',
    'start',
    'wait-ready',
    'import-key',
    'register',
    'done',
  ],
  'chain.remove': ['deregister', 'stop', 'remove-unit', 'remove-data', 'release', 'done'],
  'chain.restart': ['stop', 'start', 'wait-ready', 'register', 'done'],
  'chain.upgrade': ['images', 'stop', 'recreate', 'start', 'wait-ready', 'register', 'done'],
  'chain.wallet-reset': [
    'preflight',
    'unlock',
    'send-to-self',
    'confirm',
    'stop',
    'set-aside',
    'start',
    'wait-ready',
    'import-key',
    'verify',
    'split',
    'register',
    'done',
  ],
  'chain.consolidate': ['preflight', 'select', 'send', 'confirm', 'done'],
  // images..wait-ready run once per daemon (the message names it), in the dPoW update order.
  'node.upgrade': [
    'preflight',
    'stop-iguana',
    'images',
    'stop',
    'recreate',
    'start',
    'wait-ready',
    'unlock',
    'start-iguana',
    'register',
    'done',
  ],
  // Iguana is stopped first and started last: it restarts after any restart of the main chain.
  'node.wallet-reset': [
    'preflight',
    'stop-iguana',
    'unlock',
    'send-to-self',
    'confirm',
    'stop',
    'set-aside',
    'start',
    'wait-ready',
    'import-key',
    'verify',
    'split',
    'start-iguana',
    'register',
    'done',
  ],
  'node.consolidate': ['preflight', 'select', 'send', 'confirm', 'done'],
  reconcile: ['observe', 'diff', 'enqueue', 'register', 'done'],
  'node.drain': ['preflight', 'cordon', 'move', 'done'],
  'chain.move': [
    'preflight',
    'deregister',
    'stop',
    'place',
    'images',
    'volumes',
    'create',
    'start',
    'wait-ready',
    'import-key',
    'register',
    'cleanup',
    'done',
  ],
  'season.apply': ['validate', 'remove', 'add', 'upgrade', 'iguana', 'register', 'done'],
} as const satisfies Record<JobName, readonly string[]>;

export const jobProgressSchema = z.strictObject({
  step: z.string().max(64),
  index: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  message: reason.optional(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

/** Validates job data (on enqueue and again in the worker); throws ValidationError naming the field. */
export function parseJobData<N extends JobName>(name: N, data: unknown): JobDataMap[N] {
  const schema: z.ZodType = jobDataSchemas[name];
  return parseOrThrow(schema, data) as JobDataMap[N];
}

import { chainStatusSchema } from '@nn/chain-sidecar/contract';
import { coinStatusSchema } from '@nn/iguana-sidecar/contract';
import {
  CHAIN_STATUSES,
  chainEntriesSchema,
  chainEntrySchema,
  chainIdSchema,
  chainResourcesSchema,
  imageRefSchema,
  JOB_NAMES,
  jobProgressSchema,
  labelsSchema,
  nodeCapacitySchema,
  nodeEndpointSchema,
  nodeNameSchema,
  placementSchema,
} from '@nn/orchestrator-core';
import { z } from 'zod';

// The API's own request and response shapes, built on core's schemas. Requests are strict (an unknown key
// is a 400 naming it); responses are what the server writes and what nnctl parses back, so a change on
// one side that the other does not follow fails loudly in the CLI tests rather than printing nonsense.

/** The job kinds (core's JOB_NAMES), as job names on the orchestrator queue. */
export const JOB_NAME_LIST = Object.values(JOB_NAMES) as [
  (typeof JOB_NAMES)[keyof typeof JOB_NAMES],
  ...(typeof JOB_NAMES)[keyof typeof JOB_NAMES][],
];
export const jobNameSchema = z.enum(JOB_NAME_LIST);

/**
 * A BullMQ job id as this API hands them out and accepts them in paths: no ':' (BullMQ refuses it in
 * custom ids), no '/' or '..' (paths), nothing a shell would read.
 */
export const jobIdSchema = z
  .string({ error: 'must be a string (a job id)' })
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/, {
    error: 'a job id: 1-128 of A-Z, a-z, 0-9, ".", "_", "-", not starting with "."',
  });

export const chainIdParamsSchema = z.strictObject({ id: chainIdSchema });
export const jobIdParamsSchema = z.strictObject({ id: jobIdSchema });

const booleanQuery = z.enum(['true', 'false'], { error: 'must be true or false' });

export const removeChainQuerySchema = z.strictObject({
  /** Keep the data volume (blocks, wallet.dat) after the unit is gone. */
  keepData: booleanQuery.optional(),
});

export const upgradeChainBodySchema = z.strictObject({
  /** The daemon image to move to (it must be on a node already, or sendable from one). */
  image: imageRefSchema,
});

/** A POST whose body carries nothing: `{}` or none; any field is refused by name. */
export const emptyBodySchema = z.strictObject({});

export const restartChainBodySchema = z.strictObject({
  reason: z
    .string()
    .max(200, { error: 'at most 200 characters' })
    .regex(/^[\x20-\x7e]*$/, { error: 'printable ASCII only' })
    .optional(),
});

/** Job states a listing can filter by (BullMQ's). */
export const LISTABLE_JOB_STATES = [
  'waiting',
  'active',
  'completed',
  'failed',
  'delayed',
  'prioritized',
  'waiting-children',
] as const;

export const listJobsQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^(?:[1-9]|[1-9][0-9]|1[0-9][0-9]|200)$/, { error: 'must be a whole number from 1 to 200' })
    .optional(),
  state: z
    .enum(LISTABLE_JOB_STATES, { error: `must be one of ${LISTABLE_JOB_STATES.join(', ')}` })
    .optional(),
  chain: chainIdSchema.optional(),
});

/** The import body: the assetchains.json array itself, or the array with a node and image for all. */
export const importChainsObjectSchema = z.strictObject({
  entries: chainEntriesSchema,
  node: nodeNameSchema.optional(),
  image: imageRefSchema.optional(),
});
export const importChainsRequestSchema = z.union([chainEntriesSchema, importChainsObjectSchema]);

/** A job the API queued (202): its id and kind (core's JOB_NAMES). */
export const acceptedJobSchema = z.object({
  jobId: z.string(),
  name: jobNameSchema,
  chainId: z.string(),
});
export type AcceptedJob = z.infer<typeof acceptedJobSchema>;

export const importAcceptedSchema = z.object({ jobs: z.array(acceptedJobSchema) });

/** Why a chain or node unit is not where it should be, and what was tried (the workers' repair record). */
export const repairSchema = z.object({
  lastError: z.string(),
  attempts: z.number().int(),
  /** The job or repair tried: chain.add, chain.restart, deploy... */
  action: z.string(),
  /** The dependency it waits for (iguana, kmd, destination, engine, redis), when one is down. */
  waitingFor: z.string().optional(),
  nextRetryAt: z.string().optional(),
  since: z.string(),
  updatedAt: z.string(),
});
export type RepairView = z.infer<typeof repairSchema>;

export const chainSummarySchema = z.object({
  id: z.string(),
  acName: z.string(),
  /** The coin's name in Iguana (GLEEC_OLD for GLEEC in its old data dir). */
  iguanaName: z.string(),
  datadir: z.string(),
  status: z.enum(CHAIN_STATUSES),
  statusReason: z.string().optional(),
  node: z.string().optional(),
  ports: z.object({ p2p: z.number().int(), rpc: z.number().int() }),
  image: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Present while a repair is under way or the chain failed: the last error, the tries, the next one. */
  repair: repairSchema.optional(),
});
export type ChainSummary = z.infer<typeof chainSummarySchema>;

export const chainListSchema = z.object({ chains: z.array(chainSummarySchema) });

export const chainDetailSchema = chainSummarySchema.extend({
  entry: chainEntrySchema,
  magic: z.number().int(),
  resources: chainResourcesSchema,
  requestedNode: z.string().optional(),
  placement: placementSchema.optional(),
});
export type ChainDetail = z.infer<typeof chainDetailSchema>;

/**
 * A job as GET /v1/jobs/:id shows it: orchestrator/jobs' JobView (readJob), as a schema for the OpenAPI
 * document and for nnctl. `step` and `progress` are the current (or last) step of core's JOB_STEPS;
 * `error` is the failure reason, which the workers scrub of secrets and prefix with the failing step.
 */
export const jobViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  chainId: z.string().nullable(),
  step: z.string().nullable(),
  progress: jobProgressSchema.nullable(),
  error: z.object({ message: z.string() }).nullable(),
  attemptsMade: z.number().int(),
  attempts: z.number().int(),
  result: z.unknown(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type JobViewBody = z.infer<typeof jobViewSchema>;

export const jobListSchema = z.object({ jobs: z.array(jobViewSchema) });

export const nodeViewSchema = z.object({
  name: z.string(),
  endpoint: nodeEndpointSchema,
  labels: labelsSchema,
  schedulable: z.boolean(),
  capacity: nodeCapacitySchema,
  usage: z.object({
    memoryBytes: z.number(),
    diskBytes: z.number(),
    chains: z.number().int(),
    ports: z.number().int(),
  }),
});
export type NodeView = z.infer<typeof nodeViewSchema>;
export const nodeListSchema = z.object({ nodes: z.array(nodeViewSchema) });

// The live statuses are the sidecars' own replies, as the workers' poller stored them: their fields come
// from the sidecars' contracts, so a field the sidecar renames or retypes fails the API's (and nnctl's)
// typecheck. Each may be missing: the store can hold what an orchestrator of another version wrote.

/** What a unit's chain sidecar last reported (GET /v1/status): the fields `nnctl status` shows. */
export const liveChainStatusSchema = chainStatusSchema
  .pick({
    blocks: true,
    headers: true,
    synced: true,
    connections: true,
    notarized: true,
    notarizedLag: true,
    balance: true,
    notaryUtxos: true,
    walletBytes: true,
    dpowActive: true,
    checkpoint: true,
    rpc: true,
    at: true,
  })
  .partial();
export type LiveChainStatus = z.infer<typeof liveChainStatusSchema>;

/** Iguana's coins as its sidecar reports them (name, registered, dPoW status, last notarisation). */
export const liveIguanaSchema = z.object({
  coins: z.array(
    coinStatusSchema
      .pick({
        name: true,
        registered: true,
        status: true,
        lastNotarisedHeight: true,
        lastNotarisedTime: true,
      })
      .partial({ registered: true, status: true, lastNotarisedHeight: true, lastNotarisedTime: true }),
  ),
});

export const liveStatusSchema = z.object({
  /** Per chain id; null when no fresh status (unit not running, sidecar not answering). */
  chains: z.record(z.string(), liveChainStatusSchema.nullable()),
  /** The main chain (KMD, KMDCL). */
  kmd: liveChainStatusSchema.nullable(),
  /**
   * The destination chain (LTC), its sidecar being a chain sidecar too; null without a fresh status.
   * Optional: an API of an older version sends none.
   */
  ltc: liveChainStatusSchema.nullable().optional(),
  iguana: liveIguanaSchema.nullable(),
  /** The node's own units being brought back, by role (destination, main, iguana). */
  nodeUnits: z.record(z.string(), repairSchema).optional(),
});
export type LiveStatusBody = z.infer<typeof liveStatusSchema>;

export const healthSchema = z.object({ ok: z.boolean(), redis: z.enum(['up', 'down']) });

/** Every error reply: `{ error: { code, message, field? } }` (validation adds each field in `issues`). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    issues: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

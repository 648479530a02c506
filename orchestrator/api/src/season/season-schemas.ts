import { z } from 'zod';

// The season routes' bodies and replies (zod and nothing else: routes.ts, and so nnctl, load them).

/** POST /v1/season and /v1/season/plan: the season's network file, parsed from JSON by the caller. */
export const seasonRequestSchema = z.strictObject({
  /** A network file (networks/<name>.json format); checked whole with the network schema. */
  network: z.record(z.string(), z.unknown(), { error: 'must be a network file (a JSON object)' }),
  /** Keep the data volumes of the chains the season removes (default: deleted, as `chain rm`). */
  keepData: z.boolean({ error: 'must be true or false' }).optional(),
});
export type SeasonRequest = z.infer<typeof seasonRequestSchema>;

export const seasonPlanSchema = z.object({
  network: z.string(),
  standIns: z.boolean(),
  chainImage: z.string(),
  add: z.array(z.object({ id: z.string(), acName: z.string(), p2p: z.number(), rpc: z.number() })),
  remove: z.array(z.object({ id: z.string(), acName: z.string() })),
  upgrade: z.array(z.object({ id: z.string(), from: z.string(), to: z.string() })),
  keep: z.array(z.string()),
  iguana: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })),
  restartIguana: z.boolean(),
});
export type SeasonPlanView = z.infer<typeof seasonPlanSchema>;

export const seasonAcceptedSchema = z.object({
  jobId: z.string(),
  name: z.literal('season.apply'),
  plan: seasonPlanSchema,
});

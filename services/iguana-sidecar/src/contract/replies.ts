import { z } from 'zod';

// The bodies the Iguana sidecar answers with, as zod schemas: the server's types are inferred from
// them and its clients parse with them, so a field renamed on one side fails the other's typecheck.

/** How regularly a coin notarises (status.ts has the thresholds). */
export const activitySchema = z.enum(['active', 'irregular', 'inactive']);
export type Activity = z.infer<typeof activitySchema>;

const height = z.number().nullable();

/** One coin in GET /v1/status, and the `coin` of POST /v1/coins. */
export const coinStatusSchema = z.object({
  name: z.string(),
  kind: z.enum(['kmd', 'ltc', 'btc', 'assetchain']),
  role: z.enum(['source', 'destination']),
  /** Added at runtime (POST /v1/coins) rather than configured. */
  runtime: z.boolean(),
  /** Iguana answered addcoin with "coin added" / "coin already there" since it last (re)started. */
  registered: z.boolean(),
  /** Iguana accepted dpow for it ("success" / "cant dPoW same coin again"). */
  dpowActive: z.boolean(),
  /** The loopback bridge's port (the RPC port Iguana calls). */
  bridgePort: z.number().int(),
  /** Whether its chain sidecar answered. */
  chain: z.enum(['ok', 'unreachable']),
  blocks: height,
  /** The chain's `notarized` (getinfo): height of its last notarised block; null for LTC/BTC. */
  lastNotarisedHeight: height,
  /** Block time (unix seconds) of that block. */
  lastNotarisedTime: z.number().nullable(),
  secondsSinceNotarisation: z.number().nullable(),
  /** Spendable notary-size P2PK UTXOs, from the chain sidecar (null when it has no notary pubkey). */
  notaryUtxos: z.number().nullable(),
  /** active / irregular / inactive for notarised coins; null for the destination chain. */
  status: activitySchema.nullable(),
  /** The last failed step for this coin (addcoin, dpow, unlock, status), if any. */
  lastError: z.string().nullable(),
});
export type CoinStatus = Readonly<z.infer<typeof coinStatusSchema>>;

/** GET /v1/status's `iguana` part. */
export const iguanaStateSchema = z.object({
  port: z.number().int(),
  /** null until the first probe. */
  up: z.boolean().nullable(),
  sequenceDone: z.boolean(),
  lastSequenceAt: z.number().nullable(),
  restartsDetected: z.number().int(),
  lastError: z.string().nullable(),
});
export type IguanaState = Readonly<z.infer<typeof iguanaStateSchema>>;

/** A coin removed at runtime, and the body of DELETE /v1/coins/:name (with a note). */
export const removedCoinSchema = z.object({
  name: z.string(),
  removedAt: z.number(),
  /** Iguana has no removecoin: the coin stays registered (and dPoW'd) in Iguana until Iguana restarts. */
  pendingIguanaRestart: z.boolean(),
});
export type RemovedCoin = Readonly<z.infer<typeof removedCoinSchema>>;

/** GET /v1/status. */
export const iguanaStatusSchema = z.object({
  iguana: iguanaStateSchema,
  coins: z.array(coinStatusSchema),
  removed: z.array(removedCoinSchema),
});
export type IguanaStatus = z.infer<typeof iguanaStatusSchema>;

/** POST /v1/coins: 201 registered, 202 accepted (Iguana not ready: the start-up sequence registers it). */
export const addCoinReplySchema = z.object({ coin: coinStatusSchema, note: z.string().nullable() });
export type AddCoinReply = z.infer<typeof addCoinReplySchema>;

/** DELETE /v1/coins/:name. */
export const removeCoinReplySchema = removedCoinSchema.extend({ note: z.string() });
export type RemoveCoinReply = z.infer<typeof removeCoinReplySchema>;

/** POST /v1/coins/:name/split's body. Most notaries top up 20–50 notary UTXOs at a time; 250 bounds one transaction. */
export const splitBodySchema = z.strictObject({
  duplicates: z
    .number({ error: 'duplicates: must be an integer' })
    .int('duplicates: must be an integer')
    .min(1)
    .max(250),
});
export type SplitBody = z.infer<typeof splitBodySchema>;

/** POST /v1/coins/:name/split: Iguana's splitfunds answer, passed on as Iguana gave it. */
export const splitReplySchema = z.object({
  coin: z.string(),
  txid: z.unknown(),
  completed: z.unknown(),
  rawtx: z.unknown(),
});
export type SplitReply = z.infer<typeof splitReplySchema>;

/** GET /readyz: 200 with `ready: true`, or 503 with `ready: false` and the reason. */
export const readinessSchema = z.object({ ready: z.boolean(), reason: z.string().nullable() });
export type Readiness = Readonly<z.infer<typeof readinessSchema>>;

/** GET /healthz. */
export const healthSchema = z.object({ ok: z.literal(true) });
export type Health = z.infer<typeof healthSchema>;

/** Every error reply (4xx, 5xx): the message, and the request's field at fault when there is one. */
export const errorBodySchema = z.object({ error: z.string(), field: z.string().optional() });
export type ErrorBody = z.infer<typeof errorBodySchema>;

import { z } from 'zod';

// The bodies the sidecar answers with, as zod schemas: the server's types are inferred from them and
// its clients parse with them, so a field renamed on one side fails the other's typecheck.

/**
 * Error codes the sidecar itself answers with, in JSON-RPC's implementation-defined server range
 * (-32000..-32099), inside komodod's reply shape so JSON-RPC clients read them like daemon errors.
 */
export const GatewayCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  /** An unknown route (JSON-RPC's "method not found"). */
  NOT_FOUND: -32601,
  INTERNAL_ERROR: -32603,
  UNAUTHORIZED: -32001,
  DAEMON_UNREACHABLE: -32002,
  FORBIDDEN: -32003,
  TOO_MANY_REQUESTS: -32004,
} as const;

const count = z.number().nullable();

/** GET /v1/status: the normalised view of one chain daemon, the same for komodod and Bitcoin Core forks. */
export const chainStatusSchema = z.object({
  chain: z.string(),
  flavour: z.enum(['komodo', 'bitcoin']),
  /** ok = RPC answered; warmup = -28; unreachable = no answer. */
  rpc: z.enum(['ok', 'warmup', 'unreachable']),
  /** The warm-up message or the reason RPC is unreachable. */
  rpcMessage: z.string().nullable(),
  blocks: count,
  /** headers (Bitcoin Core) or longestchain (komodod): the height the node knows the network is at. */
  headers: count,
  synced: z.boolean(),
  connections: count,
  /** Height of the last notarisation of this chain (komodod `notarized`); null for bitcoin. */
  notarized: count,
  /** blocks − notarized. */
  notarizedLag: count,
  /** Spendable wallet balance in coins. */
  balance: count,
  /** Spendable P2PK outputs `21<pubkey>ac` of the notary size; null without a notary pubkey. */
  notaryUtxos: count,
  /** Size of wallet.dat in bytes; null when the data dir is not mounted. */
  walletBytes: count,
  version: count,
  /**
   * Whether the chain is still notarised by dPoW. komodod v0.9.2 says so in getblockchaininfo's
   * `syncCheckpointUpgrade.dpow_active` ("true"/"false"); a komodod without it (Season 8, kmdclassicd)
   * tracks notarisations (getinfo has `notarized`): true. null: the daemon does not say (Bitcoin Core
   * forks, RPC down).
   */
  dpowActive: z.boolean().nullable(),
  /**
   * The latest sync checkpoint (komodod v0.9.2 `getcheckpoint`, while `sync_checkpoint_active`);
   * height null when the daemon does not know the block. null: no checkpoint (none yet, or a daemon
   * without them).
   */
  checkpoint: z.object({ height: z.number().int().nullable(), hash: z.string() }).nullable(),
  /** When this view was taken (ms since epoch). */
  at: z.number(),
});
export type ChainStatus = Readonly<z.infer<typeof chainStatusSchema>>;

/** GET /readyz: 200 with `ready: true`, or 503 with `ready: false` and the reason. */
export const readinessSchema = z.object({
  ready: z.boolean(),
  /** Why not ready, in words an operator can act on; null when ready. */
  reason: z.string().nullable(),
});
export type Readiness = Readonly<z.infer<typeof readinessSchema>>;

/** GET /healthz: the process answers. */
export const healthSchema = z.object({ ok: z.literal(true) });
export type Health = z.infer<typeof healthSchema>;

/**
 * A JSON-RPC 1.0 reply, the shape of komodod's and bitcoind's. POST /v1/rpc passes the daemon's own
 * status and bytes through unchanged (8-decimal amounts and big numbers stay exact), so this is the
 * daemon's reply, not one the sidecar builds; a batch request gets an array of them.
 */
export const rpcReplySchema = z.object({
  result: z.unknown(),
  error: z.object({ code: z.number(), message: z.string() }).nullable(),
  id: z.unknown(),
});
export type JsonRpcReply = z.infer<typeof rpcReplySchema>;

/**
 * Every error the sidecar answers with itself (401, 403, 404, 413, 429, 503 daemon unreachable, 500):
 * a JSON-RPC reply with a GatewayCode, on every route.
 */
export const gatewayErrorSchema = rpcReplySchema.extend({
  result: z.null(),
  error: z.object({ code: z.number().int(), message: z.string() }),
});
export type GatewayError = z.infer<typeof gatewayErrorSchema>;

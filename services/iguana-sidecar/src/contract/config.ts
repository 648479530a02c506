import { assetchainEntrySchema } from '@nn/komodo-params';
import { z } from 'zod';

// The Iguana sidecar's config file (config.ts loads it) and its coins, which are also the body of
// POST /v1/coins: the orchestrator builds both with these schemas.

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port')
  .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) < 65536, 'port must be 0..65535');

const absolutePath = z
  .string()
  .regex(/^\/[^\0\n\r]*$/, 'must be an absolute path')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ..');

const port = z.number().int().min(1).max(65535);

/** A name as Iguana knows a coin (newcoin): KMD, LTC, an ac_name, GLEEC_OLD. */
export const coinName = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'must be a coin name (letters, digits, _)');

const ipv4 = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'must be an IPv4 address');

/** Fields every coin has: where its chain sidecar is and how Iguana reaches it through the bridge. */
const coinCommon = {
  /** The name Iguana uses; derived when absent (KMD, LTC, BTC, the assetchain's ac_name or datadir folder). */
  name: coinName.optional(),
  /** The coin's chain sidecar API, e.g. http://kmd-sidecar:8080. */
  upstream: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  /**
   * File (mode 600) with a bearer token of the chain sidecar with the operator role: Iguana signs,
   * broadcasts, locks UTXOs and imports its key through the bridge.
   */
  tokenFile: absolutePath,
  /** Where to write the conf Iguana reads for this coin (`/<path>/<conf>` of addcoin); default under `home`. */
  confPath: absolutePath.optional(),
  /** The port of the loopback bridge (the coin's RPC port as Iguana expects it); default: the coin's own. */
  rpcPort: port.optional(),
};

const kmdCoin = z.strictObject({
  ...coinCommon,
  kind: z.literal('kmd'),
  /** dPoW KMD to the destination chain (off on a third-party Iguana that only uses KMD as a destination). */
  dpow: z.boolean().default(true),
});

const destinationCoin = z.strictObject({
  ...coinCommon,
  /** The dPoW destination of KMD: Litecoin since Season 5, Bitcoin before. */
  kind: z.enum(['ltc', 'btc']),
});

const assetchainCoin = z.strictObject({
  ...coinCommon,
  kind: z.literal('assetchain'),
  /** The chain's assetchains.json entry: magic, ports and datadir are derived from it. */
  assetchain: assetchainEntrySchema,
  dpow: z.boolean().default(true),
  /** dpow `freq` (Iguana uses 2 when absent or ≤ 2). */
  freq: z.number().int().min(1).max(100_000).optional(),
  /** addcoin `seedipaddr`; komodod's NAME_7776 file writes 78.47.196.146. */
  seedipaddr: z
    .string()
    .regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be a host or IP')
    .optional(),
});

export const coinSchema = z.discriminatedUnion('kind', [kmdCoin, destinationCoin, assetchainCoin], {
  error: (issue) =>
    issue.code === 'invalid_union' ? "must be one of 'kmd', 'ltc', 'btc', 'assetchain'" : undefined,
});

export type CoinConfig = z.infer<typeof coinSchema>;
/** A coin as given (before defaults), e.g. in a POST /v1/coins body or the state file. */
export type CoinInput = z.input<typeof coinSchema>;

export const iguanaSidecarConfigSchema = z.strictObject({
  /** Where the API listens (the unit's address on the cluster network); port 0 = any free port. */
  listen: hostPort.default('0.0.0.0:8080'),
  /** Iguana's HTTP API on 127.0.0.1: 7776 (main) or 7779 (third party). */
  iguanaPort: port.default(7776),
  /** The elected-notaries file Iguana is started with (seeds for addnotary). */
  electedFile: absolutePath,
  /** The notary passphrase (or WIF), mode 600. Never logged, never in replies. */
  passphraseFile: absolutePath,
  /** The notary's compressed pubkey: must be the passphrase's key (checked at start). */
  notaryPubkey: z.string().regex(/^(02|03)[0-9a-fA-F]{64}$/, 'must be a 33-byte compressed pubkey in hex'),
  /** This node's public IPv4 (myipaddr). */
  myipaddr: ipv4,
  /**
   * The peers the start-up sequence adds with addnotary, in order: the network's own list (kmdclassic's
   * m_notary_main names 15 that are not the elected file's seeds). Absent: the elected file's seeds.
   */
  addnotary: z
    .array(z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be a host or IP'))
    .max(64)
    .optional(),
  /** HOME as Iguana sees it: coin confs go under it by default (~/.komodo/komodo.conf, ...). */
  home: absolutePath,
  /** Bearer tokens of this API: JSON {"viewer": [...], "operator": [...]}, mode 600. */
  tokensFile: absolutePath,
  coins: z.array(coinSchema).min(1, 'at least KMD is needed'),
  /** How often Iguana is probed (liveness, restarts, retries of failed steps). */
  pollIntervalMs: z.number().int().min(50).max(600_000).default(5_000),
  /** Time limit of one Iguana call (walletpassphrase imports a key; dpow asks every daemon). */
  iguanaTimeoutMs: z.number().int().min(100).max(600_000).default(120_000),
  /** Coins added at runtime are kept here (JSON), so a restarted sidecar registers them again. */
  stateFile: absolutePath.optional(),
  /** How long a per-coin status stays cached. */
  statusCacheMs: z.number().int().min(0).max(600_000).default(2_000),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(256 * 1024),
  /** Requests per minute per token (or per address without one). */
  rateLimitPerMinute: z.number().int().min(1).default(600),
});

export type IguanaSidecarConfig = z.infer<typeof iguanaSidecarConfigSchema>;
/** A config as written (before defaults), e.g. by node-units for the Iguana unit. */
export type IguanaSidecarConfigInput = z.input<typeof iguanaSidecarConfigSchema>;
/** POST /v1/coins as the orchestrator sends it: only assetchains are added at runtime. */
export type AssetchainCoinInput = Extract<CoinInput, { kind: 'assetchain' }>;

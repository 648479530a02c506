import { z } from 'zod';

// The sidecar's config file, read at start (config.ts loads it): the orchestrator writes one per unit
// and validates it with this schema before the unit starts.

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port')
  .refine((v) => {
    const port = Number(v.slice(v.lastIndexOf(':') + 1));
    return port >= 0 && port < 65536;
  }, 'port must be 0..65535');

const absolutePath = z
  .string()
  .regex(/^\/[^\0]*$/, 'must be an absolute path')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ..');

/** A loopback bridge: the daemon's view of an upstream chain (an assetchain's KMD, KMD's LTC). */
export const bridgeSchema = z
  .object({
    /** Chain name of the upstream, for logs and metrics (e.g. KMD, LTC). */
    name: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'must be a chain name'),
    /** The port the daemon expects the upstream's RPC on at 127.0.0.1 (7771 for KMD, 9332 for LTC). */
    port: z.number().int().min(1).max(65535),
    /** The conf file the daemon reads for this upstream, written by the sidecar with bridge-local credentials. */
    confPath: absolutePath,
    /** Extra conf lines the daemon may expect (e.g. `port=7770` in komodo.conf). */
    confExtra: z.record(z.string().regex(/^[a-z]+$/), z.string().regex(/^[^\n\r]*$/)).default({}),
    /** The upstream unit's sidecar API, e.g. http://kmd-sidecar:8080. */
    upstream: z.url({ protocol: /^https?$/ }),
    /** File holding the bearer token this bridge presents to the upstream sidecar. */
    tokenFile: absolutePath,
    /** Methods the daemon may call through the bridge; default: the viewer's read-only set. */
    methods: z.array(z.string().regex(/^[A-Za-z_]+$/)).optional(),
  })
  .strict();

export const sidecarConfigSchema = z
  .object({
    flavour: z.enum(['komodo', 'bitcoin']),
    /** The chain's name as operators know it: KMD, an ac_name, LTC, BTC. */
    chain: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'must be a chain name (letters, digits, _)'),
    /** Where the API listens (the unit's address on the cluster network); port 0 = any free port. */
    listen: hostPort.default('0.0.0.0:8080'),
    daemon: z
      .object({
        /** The daemon's conf file: rpcuser, rpcpassword, rpcport are read from it (re-read when it changes). */
        conf: absolutePath.optional(),
        /** Or an explicit RPC URL with a user and a password file. */
        url: z.url({ protocol: /^https?$/ }).optional(),
        user: z.string().optional(),
        passwordFile: absolutePath.optional(),
        /** RPC port when the conf has none (komodod: p2p+1; KMD 7771; LTC 9332). */
        defaultPort: z.number().int().min(1).max(65535).optional(),
        /** Data dir, for the wallet size (wallet.dat). */
        datadir: absolutePath.optional(),
      })
      .strict()
      .refine(
        (d) =>
          d.conf !== undefined ||
          (d.url !== undefined && d.user !== undefined && d.passwordFile !== undefined),
        {
          message: 'give either conf, or url with user and passwordFile',
        },
      ),
    /** File with the API's bearer tokens: JSON {"viewer": ["..."], "operator": ["..."]}, mode 600. */
    tokensFile: absolutePath,
    /** The notary pubkey whose P2PK outputs count as notary UTXOs. */
    notaryPubkey: z
      .string()
      .regex(/^(02|03)[0-9a-fA-F]{64}$/, 'must be a 33-byte compressed pubkey in hex')
      .optional(),
    /** Size of a notary UTXO in satoshis. */
    notaryUtxoSats: z.number().int().positive().default(10_000),
    bridges: z.array(bridgeSchema).default([]),
    /** Ready needs at least one peer (off for a lone devnet node). */
    requirePeers: z.boolean().default(false),
    /** How long a graceful stop waits for the daemon to exit after `stop`. */
    stopTimeoutSec: z.number().int().min(1).max(3600).default(300),
    /** Request body limit of the API and the bridges. */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    /** Requests per minute per token (and per address for unauthenticated calls). */
    rateLimitPerMinute: z.number().int().min(1).default(6000),
  })
  .strict();

export type SidecarConfig = z.infer<typeof sidecarConfigSchema>;
export type BridgeConfig = z.infer<typeof bridgeSchema>;
/** A config as written (before defaults), e.g. by the orchestrator for a chain unit. */
export type SidecarConfigInput = z.input<typeof sidecarConfigSchema>;

import { z } from 'zod';

// Where a chain unit finds the node's own units: KMD for its bridge, the notary key, Iguana for its
// registration. They are sections of the jobs' config, and node-units produces them when it deploys
// those units, so both build them with these schemas (node-units sits beside the jobs, not below).

export const absolutePathSchema = z
  .string()
  .regex(/^\/[^\0\n\r]*$/, { error: 'must be an absolute path' })
  .refine((p) => !p.split('/').includes('..'), { error: 'must not contain ".."' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const homeRelativeDir = z
  .string()
  .regex(/^\.?[A-Za-z0-9_-][A-Za-z0-9._-]*$/, { error: 'must be one directory name under HOME' });
const fileName = z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/, { error: 'must be a file name' });

/** How the orchestrator reaches a node unit's sidecar (KMD's, the destination's) and reads it. */
const sidecarReach = {
  /** The sidecar API as units on the unit's node reach it, e.g. http://kmd-sidecar:8080. */
  sidecarUrl: httpUrl,
  /** The unit's node; units placed elsewhere (and the orchestrator) use `remoteUrl`. Absent: `sidecarUrl`. */
  node: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/)
    .optional(),
  /** The sidecar as other nodes reach it: its port published on the node's cluster address. */
  remoteUrl: httpUrl.optional(),
  /** A viewer token of the sidecar (file, mode 600). */
  viewerTokenFile: absolutePathSchema,
};
const nodeWithRemote = (k: { node?: string | undefined; remoteUrl?: string | undefined }) =>
  (k.node === undefined) === (k.remoteUrl === undefined);
const NODE_WITH_REMOTE = { error: 'node and remoteUrl go together', path: ['remoteUrl'] };

/** The KMD unit every assetchain bridges to (KMDnotarized_height). */
export const kmdWiringSchema = z
  .strictObject({
    ...sidecarReach,
    /** KMD's RPC port the assetchain expects at 127.0.0.1. */
    rpcPort: z.number().int().min(1).max(65535).default(7771),
    /**
     * The main chain's data dir under HOME and its conf, as the network's daemon has them: every
     * assetchain without a data dir of its own lives in `<datadir>/NAME` and reads `<datadir>/<conf>`
     * (kmdclassicd: .kmdclassic and kmdclassic.conf). Absent: komodod's .komodo and komodo.conf.
     */
    datadir: homeRelativeDir.optional(),
    conf: fileName.optional(),
  })
  .refine(nodeWithRemote, NODE_WITH_REMOTE);

/**
 * The destination chain's unit (LTC): its sidecar, which the workers poll for its live status (balance,
 * wallet.dat size) and whose wallet they reset past the threshold. Absent: a node without a destination
 * (komodo, testnet-2024), or a config written before this field.
 */
export const ltcWiringSchema = z.strictObject(sidecarReach).refine(nodeWithRemote, NODE_WITH_REMOTE);

/** The notary key: imported without rescan after the chain is ready; its pubkey goes to -pubkey. */
export const notaryKeySchema = z.strictObject({
  pubkey: z.string().regex(/^(02|03)[0-9a-fA-F]{64}$/, { error: 'must be a compressed pubkey in hex' }),
  /** The WIF (file, mode 600). */
  wifFile: absolutePathSchema,
});

/** The Iguana unit's sidecar: each chain is registered there (POST /v1/coins). */
export const iguanaWiringSchema = z.strictObject({
  url: httpUrl,
  /** An operator token of the Iguana sidecar (file, mode 600). */
  operatorTokenFile: absolutePathSchema,
  /** Where the Iguana unit runs and its data volume: the chain's operator token is put there. */
  node: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/),
  volume: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/),
  /** The volume's mount path in the Iguana sidecar. */
  mountPath: absolutePathSchema.default('/data'),
  /**
   * After registering a chain, split the notary's funds on it into this many notary-size UTXOs
   * (the chore a notary does on every new chain); 0 = leave it to the operator. A split that fails
   * (no funds yet) is noted in the job's result, not a failure of the job.
   */
  splitUtxos: z.number().int().min(0).max(250).default(0),
});

/**
 * What every chain unit of the node shares with the network's own daemons: the program a stand-in
 * image is started as (its first word: devchain as `kmdclassicd ...`), and the node's one zcash params
 * volume, mounted read-only at `path` (absent: no such mount).
 */
export const chainUnitsWiringSchema = z.strictObject({
  /**
   * Extra labels on every chain unit. On Kubernetes `nn.bridge/<KMD's unit>: "true"`, so KMD's
   * NetworkPolicy admits each chain's KMD bridge. The nn.* ownership keys are refused by the runtime.
   */
  labels: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9._/-]{0,127}$/, { error: 'must be a label key' }),
      z
        .string()
        .regex(/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/, { error: 'must be a label value' }),
    )
    .optional(),
  program: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, { error: 'must be a program name' })
    .optional(),
  zcashParams: z
    .strictObject({
      volume: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, { error: 'must be a volume name' }),
      path: absolutePathSchema,
    })
    .optional(),
});

/** The jobs' config sections for the node's own units, as written (before defaults). */
export interface NodeWiringInput {
  readonly chainUnits?: z.input<typeof chainUnitsWiringSchema>;
  readonly kmd?: z.input<typeof kmdWiringSchema>;
  readonly ltc?: z.input<typeof ltcWiringSchema>;
  readonly notary?: z.input<typeof notaryKeySchema>;
  readonly iguana?: z.input<typeof iguanaWiringSchema>;
}

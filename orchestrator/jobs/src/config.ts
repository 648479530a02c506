import {
  absolutePathSchema,
  chainUnitsWiringSchema,
  iguanaWiringSchema,
  kmdWiringSchema,
  ltcWiringSchema,
  notaryKeySchema,
  parseOrThrow,
} from '@nn/orchestrator-core';
import { z } from 'zod';

// What the jobs need beyond the state and the runtime: where secrets live, how units are built, who the
// unit's neighbours are (KMD for the bridge, Iguana for registration) and the time limits. Secrets are
// never values here: only paths of 0600 files on the orchestrator's disk.

const image = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/, { error: 'must be an image reference' });
const ms = (min: number, max: number) => z.number().int().min(min).max(max);

export const jobsConfigSchema = z.strictObject({
  /** BullMQ queue name. */
  queueName: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .default('nn-orchestrator'),
  /** BullMQ key prefix (tests use a random one). */
  queuePrefix: z
    .string()
    .regex(/^[A-Za-z0-9{}._-]{1,64}$/)
    .default('bull'),
  /** Units of this orchestrator carry `nn.instance=<instance>`; reconcile looks at no other unit. */
  instance: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/)
    .default('default'),
  /** Unit names are `<unitPrefix><chain id>` (cut with a hash when longer than the runtime allows). */
  unitPrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,19}$/)
    .default('chain-'),
  /** Where generated secrets are kept (0700 dirs, 0600 files). */
  secretsDir: absolutePathSchema,
  /** The chain sidecar image; the daemon image is the chain's spec.image. */
  sidecarImage: image.default('nn/chain-sidecar:latest'),
  /** The daemon's HOME inside the unit (the data volume's mount): ${HOME} in datadir is this. */
  home: absolutePathSchema.default('/data'),
  /** Extra daemon flags of the profile (devnet: -devblocktime=1 ...); never secrets. */
  daemonExtraArgs: z
    .array(z.string().regex(/^-[A-Za-z0-9_]+(=[^\0\n\r]*)?$/))
    .max(32)
    .default([]),
  /**
   * Files of the profile copied into every chain unit's volume before it starts (devnet: the elected
   * notaries file that `-devnotaries` reads). `path` is relative to the volume; `source` a file here.
   */
  unitFiles: z
    .array(
      z.strictObject({
        path: z
          .string()
          .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, { error: 'must be a relative path' })
          .refine((p) => !p.split('/').includes('..'), { error: 'must not contain ".."' }),
        source: absolutePathSchema,
      }),
    )
    .max(16)
    .default([]),
  /** Seconds a stop waits for the daemon before a kill. */
  stopTimeoutSec: z.number().int().min(1).max(3600).default(300),
  /**
   * Whether the entries' `addnode` seeds reach the daemon. A devnet must say false: the published
   * assetchains.json lists public mainnet nodes, and a devnet never dials outside addresses.
   */
  useSeedNodes: z.boolean().default(true),
  /** Ready needs peers (off for a lone devnet node). */
  requirePeers: z.boolean().default(true),
  /** The network's program name for stand-ins and the shared zcash params volume of every chain unit. */
  chainUnits: chainUnitsWiringSchema.optional(),
  /** The KMD unit every assetchain bridges to (KMDnotarized_height); absent: no bridge. */
  kmd: kmdWiringSchema.optional(),
  /** The destination's unit (LTC): its live status is polled; absent: none (or an older config). */
  ltc: ltcWiringSchema.optional(),
  /** The notary key: imported without rescan after the chain is ready; its pubkey goes to -pubkey. */
  notary: notaryKeySchema.optional(),
  /** The Iguana unit's sidecar: each chain is registered there (POST /v1/coins). */
  iguana: iguanaWiringSchema.optional(),
  /** Attempts per job and the first backoff delay (doubled each retry). */
  attempts: z.number().int().min(1).max(100).default(6),
  backoffMs: ms(10, 3_600_000).default(5_000),
  /** How long a wait for /readyz may take: -28 can last minutes (a rescan hours on mainnet). */
  readyTimeoutMs: ms(1_000, 86_400_000).default(30 * 60_000),
  readyPollMs: ms(50, 60_000).default(2_000),
  /** Per-chain lease TTL: how soon another worker may take over a chain whose worker died. */
  leaseTtlMs: ms(500, 3_600_000).default(60_000),
  /** When a chain is busy, the job waits this long before trying again (no attempt is used). */
  busyDelayMs: ms(10, 600_000).default(2_000),
  /** BullMQ lock: a killed worker's job is taken over after about this long. */
  lockDurationMs: ms(500, 3_600_000).default(30_000),
  stalledIntervalMs: ms(200, 3_600_000).default(15_000),
  /** How many times a job may be taken over after its worker died before it fails. */
  maxStalledCount: z.number().int().min(0).max(100).default(5),
  concurrency: z.number().int().min(1).max(256).default(4),
  /** How often workers ask each running unit's sidecar for its status (for `nnctl status`); 0 = never. */
  liveStatusEveryMs: z.union([z.literal(0), ms(1_000, 3_600_000)]).default(10_000),
  /**
   * wallet.dat size (bytes) past which a ready chain's wallet is reset by itself (chain.wallet-reset,
   * trigger auto), and the main chain's or the destination's once synced (node.wallet-reset, trigger
   * auto); notary-facts §6: flag at 3 MB, act at 10 MB. 0 = never automatically.
   */
  walletResetBytes: z.number().int().min(0).default(10_000_000),
  /** Period of the reconcile sweep. */
  sweepEveryMs: ms(1_000, 86_400_000).default(60_000),
  /**
   * How long a chain may stay `requested` (unchanged since its record was written) before the sweep
   * treats it as stranded: the API creates the record and then queues its chain.add, and a process that
   * dies between the two leaves a chain no job will ever move. Once this long has passed with no
   * unfinished chain.add (or chain.remove) for it, the sweep queues its chain.add. It must be well above
   * the API's create-then-enqueue gap, so a sweep never races the API's own enqueue. Default 60 s.
   */
  requestedGraceMs: ms(1_000, 86_400_000).default(60_000),
  /** Requests to sidecars time out after this. */
  httpTimeoutMs: ms(100, 600_000).default(10_000),
  /**
   * A step whose dependency is down (Iguana, KMD, an engine, Redis) waits backoffMs, doubled each time up
   * to this, and tries again without using an attempt, for up to dependencyWaitMaxMs in all (after that
   * its attempts count as for any transient error).
   */
  dependencyMaxDelayMs: ms(100, 3_600_000).default(60_000),
  dependencyWaitMaxMs: ms(1_000, 7 * 86_400_000).default(86_400_000),
  /**
   * A chain that failed for good (bad parameters, a missing image) is tried again by the sweep after
   * this, doubled each time up to failedRetryMaxMs: the operator may have fixed the cause meanwhile.
   */
  failedRetryMs: ms(1_000, 86_400_000).default(600_000),
  failedRetryMaxMs: ms(1_000, 7 * 86_400_000).default(6 * 3_600_000),
  /** How long a node unit (LTC, KMD, Iguana) brought back by reconcile may take to answer /readyz. */
  nodeUnitReadyTimeoutMs: ms(1_000, 3_600_000).default(180_000),
  /**
   * How long a node's engine may stay unreachable before the node counts as lost: the sweep then
   * cordons it and queues node.drain (mode lost), which re-places its chains on fresh volumes. Below
   * this, a link down or an engine restart is waited out (nothing moves). Default 5 min.
   */
  nodeLostGraceMs: ms(1_000, 7 * 86_400_000).default(300_000),
});

export type JobsConfig = z.infer<typeof jobsConfigSchema>;
export type JobsConfigInput = z.input<typeof jobsConfigSchema>;

/**
 * What a producer of the queue needs (an API-only process has no more than this): where the queue is,
 * the attempts and backoff of the jobs it queues, the sweep's period. Defaults are the jobs' own.
 */
export const jobQueueConfigSchema = jobsConfigSchema.pick({
  queueName: true,
  queuePrefix: true,
  attempts: true,
  backoffMs: true,
  sweepEveryMs: true,
});
export type JobQueueConfig = z.infer<typeof jobQueueConfigSchema>;

/** Validates a producer's settings (absent ones take the defaults); ValidationError naming each bad field. */
export function parseJobQueueConfig(input: unknown, label = 'config'): JobQueueConfig {
  return parseOrThrow(jobQueueConfigSchema, input, label);
}

/** Validates the jobs' configuration; ValidationError naming each bad field. */
export function parseJobsConfig(input: unknown): JobsConfig {
  return parseOrThrow(jobsConfigSchema, input, 'config');
}

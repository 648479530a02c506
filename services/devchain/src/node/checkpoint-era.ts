import { KomodoArgsError } from '@nn/komodo-params';

/**
 * komodod v0.9.2's end of dPoW and its auto-checkpoints (GLEECBTC/komodo-daemon v0.9.2-2 ae588a9:
 * src/komodo_hardfork.cpp, src/main.cpp IsSunsettingActive, src/Gulden/auto_checkpoints*.cpp).
 * KMD counts by height, every other chain by block time; both compare with `>`.
 */

/** Below it `activeAt` is a height, from it a timestamp (LOCKTIME_THRESHOLD). */
export const LOCKTIME_THRESHOLD = 500_000_000;
/** nSunsettingHeight: KMD's last dPoW height. */
export const KMD_SUNSET_HEIGHT = 4_771_595;
/** nSunsettingTimestamp: every assetchain's end of dPoW, 2026-01-04 12:00 UTC. */
export const ASSETCHAIN_SUNSET_TIME = 1_767_528_000;
/** nBczeroRaphMdxSyncCheckpointTimestamp (from v0.9.2-1): 2026-01-27 15:00 UTC. */
export const BCZERO_RAPH_MDX_CHECKPOINT_TIME = 1_769_526_000;
/** The one master key that signs every chain's sync checkpoints (auto_checkpoints_activation.cpp). */
export const CHECKPOINT_MASTER_PUBKEY = '03fdc6ca526c0cfaed2211d03dc2ea9c083aea127c7769d97dc92fed2085803ce3';
/** The checkpoint server picks the block this far below its tip (AUTO_CHECKPOINT_DEPTH). */
export const AUTO_CHECKPOINT_DEPTH = 10;

/** The komodod versions devchain can stand in for; 0.8.2 is the Season 8 daemon (no sunset). */
export type KomodoVersion = '0.8.2' | '0.9.2' | '0.9.2-1' | '0.9.2-2';

export const KOMODO_VERSIONS: Record<KomodoVersion, { clientVersion: number; sunset: boolean }> = {
  // CLIENT_VERSION = 1000000*major + 10000*minor + 100*revision + build (clientversion.h).
  '0.8.2': { clientVersion: 80_200, sunset: false },
  '0.9.2': { clientVersion: 90_200, sunset: true },
  '0.9.2-1': { clientVersion: 90_251, sunset: true },
  '0.9.2-2': { clientVersion: 90_252, sunset: true },
};

export function parseKomodoVersion(flag: string, v: string): KomodoVersion {
  if (v in KOMODO_VERSIONS) return v as KomodoVersion;
  throw new KomodoArgsError(flag, `must be one of ${Object.keys(KOMODO_VERSIONS).join(', ')} (got "${v}")`);
}

/** When dPoW ends and checkpoints start for one chain; undefined = the daemon has no sunset (0.8.2, kmdclassicd). */
export interface CheckpointEra {
  /** dPoW ends once the tip's height (KMD) or block time (others) is above this. */
  readonly sunsetAt: number;
  /** Sync checkpoints: activation and master key; undefined when the chain has none (PIRATE, ILN, KOIN, ...). */
  readonly checkpoints: { readonly activeAt: number; readonly masterPubKey: string } | undefined;
}

/** Chains with checkpoints from v0.9.2 on, and those added in v0.9.2-1 (auto_checkpoints_activation.cpp). */
const CHECKPOINTED_092 = new Set(['CCL', 'CLC', 'GLEEC', 'THC', 'DOC', 'MARTY']);
const CHECKPOINTED_0921 = new Set(['BCZERO', 'RAPH', 'MDX']);

/**
 * The era of `chain` under `version`. `devSunset` (-devsunset) moves the sunset and every activation
 * that upstream ties to it, so a devnet sees both sides within minutes; a value below
 * LOCKTIME_THRESHOLD is a height, else a timestamp, whatever the chain.
 */
export function checkpointEra(
  version: KomodoVersion,
  chain: string,
  network: 'main' | 'test' | 'regtest',
  devSunset: number | undefined,
): CheckpointEra | undefined {
  if (!KOMODO_VERSIONS[version].sunset) return undefined;
  const isKmd = chain === 'KMD';
  const sunsetAt = devSunset ?? (isKmd ? KMD_SUNSET_HEIGHT : ASSETCHAIN_SUNSET_TIME);
  let activeAt: number | undefined;
  if (isKmd) activeAt = network === 'main' ? sunsetAt : undefined;
  else if (CHECKPOINTED_092.has(chain)) activeAt = sunsetAt;
  else if (CHECKPOINTED_0921.has(chain) && version !== '0.9.2')
    activeAt = devSunset ?? BCZERO_RAPH_MDX_CHECKPOINT_TIME;
  return {
    sunsetAt,
    checkpoints: activeAt === undefined ? undefined : { activeAt, masterPubKey: CHECKPOINT_MASTER_PUBKEY },
  };
}

/** Past the point: a height for KMD-style values, a block time for timestamps (`>` as upstream). */
export function isPast(at: number, height: number, time: number): boolean {
  return at < LOCKTIME_THRESHOLD ? height > at : time > at;
}

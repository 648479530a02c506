// Constants komodod uses while reading its -ac_* flags. Source: komodo src/komodo_defs.h,
// src/komodo_globals.h/.cpp, src/assetchain.h and komodo_args() in src/komodo_utils.cpp.

/** komodo_defs.h ASSETCHAINS_MAX_ERAS: -ac_eras accepts 1..7 (older komodod had 3). */
export const ASSETCHAINS_MAX_ERAS = 7;
/** Era arrays are sized ASSETCHAINS_MAX_ERAS+1 and Split() fills that many slots. */
export const ERA_SLOTS = ASSETCHAINS_MAX_ERAS + 1;
/** komodo_defs.h KOMODO_ASSETCHAIN_MAXLEN (65, NUL included); assetchain.h truncates symbols to 64 chars. */
export const AC_NAME_MAX_LENGTH = 64;
/** komodo_args: "-ac_supply must be less than 90 billion". */
export const AC_SUPPLY_MAX = 90_000_000_000;
/** komodo_args: ac_pubkey / ac_script refuse ac_supply above 10 billion. */
export const AC_SUPPLY_MAX_WITH_PUBKEY = 10_000_000_000;
/** GetArg("-ac_supply", 10): komodod's default premine in whole coins. */
export const AC_SUPPLY_DEFAULT = 10;
/** GetArg("-ac_blocktime", 60). */
export const AC_BLOCKTIME_DEFAULT = 60;
/** _ASSETCHAINS_TIMELOCKOFF: -ac_timelockgte default, meaning "no coinbase timelock". */
export const TIMELOCK_OFF = 0xffff_ffff_ffff_ffffn;
/** SATOSHIDEN; also the largest accepted -ac_decay (100% = linear). */
export const SATOSHIDEN = 100_000_000n;
/** komodo_args: ac_founders without ac_perc/ac_founders_reward defaults the commission to this (35%). */
export const FOUNDERS_DEFAULT_COMMISSION = 53_846_154n;
/** komodo_assetmagic / CMainParams pchMessageStart f9 ee e4 8d read little-endian. */
export const KMD_MAGIC = 0x8de4eef9;
/** Only algorithm in ASSETCHAINS_ALGORITHMS of current komodod (komodo_globals.cpp). */
export const AC_ALGORITHMS = ['equihash'] as const;
/** equihash_params_possible(): the (N, K) pairs -ac_nk may name; any other pair makes komodod exit. */
export const EQUIHASH_NK_PAIRS: readonly (readonly [number, number])[] = [
  [200, 9],
  [210, 9],
  [150, 5],
  [144, 5],
  [96, 5],
  [48, 5],
];
/** The PIRATE special case in komodo_args: ac_private is only accepted for PIRATE with this halving. */
export const PIRATE_HALVING = 77777n;

import { hexToBytes, isHex } from './bytes.js';
import type { AssetchainParams } from './chain-params.js';
import {
  AC_ALGORITHMS,
  AC_BLOCKTIME_DEFAULT,
  AC_NAME_MAX_LENGTH,
  AC_SUPPLY_DEFAULT,
  ASSETCHAINS_MAX_ERAS,
  ERA_SLOTS,
  FOUNDERS_DEFAULT_COMMISSION,
  SATOSHIDEN,
  TIMELOCK_OFF,
} from './komodo-limits.js';

// A step-by-step mirror of komodo_args() in komodo src/komodo_utils.cpp: the values komodod ends up with
// after its defaults, clamps and silent resets, which is what the magic is computed from.

/** komodo Split(): parsed values, then every remaining slot gets the last value (or the default). */
export function splitFill<T>(values: readonly T[] | undefined, slots: number, fallback: T): T[] {
  const out = (values ?? []).slice(0, slots);
  const last = out.length > 0 ? (out[out.length - 1] as T) : fallback;
  while (out.length < slots) out.push(last);
  return out;
}

export interface ResolvedAssetchain {
  /** ASSETCHAINS_SYMBOL: the name truncated to 64 characters (assetchain.h). */
  readonly symbol: string;
  readonly supply: bigint;
  /** ASSETCHAINS_LASTERA = eras - 1, eras outside 1..7 reset to 1. */
  readonly lastEra: number;
  readonly end: readonly bigint[];
  readonly reward: readonly bigint[];
  readonly halving: readonly bigint[];
  readonly decay: readonly bigint[];
  readonly notarypay: readonly bigint[];
  /** ASSETCHAINS_COMMISSION after the founders default / the "needs a pubkey" reset. */
  readonly commission: bigint;
  readonly founders: number;
  readonly foundersReward: bigint;
  /** ASSETCHAINS_OVERRIDE_PUBKEY33: zeros unless ac_pubkey is 66 characters. */
  readonly pubkey33: Uint8Array;
  readonly script: string;
  readonly selfImport: string;
  readonly cc: number;
  /** `nonz`: how many -ac_ccenable entries komodod counted (only with ac_cc). */
  readonly ccEnabledCount: number;
  /** `disablebits`: 256 bits, set = eval code disabled. */
  readonly ccDisableBits: Uint8Array;
  readonly cclib: string;
  readonly staked: number;
  readonly public: number;
  readonly private: number;
  readonly txpow: number;
  readonly blocktime: number;
  readonly snapshot: number;
  readonly cbmaturity: number;
  readonly adaptivepow: number;
  /** Index into ASSETCHAINS_ALGORITHMS (0 = equihash). */
  readonly algo: number;
  readonly nk: readonly [bigint, bigint];
  readonly timelockgte: bigint;
  readonly timeunlockfrom: bigint;
  readonly timeunlockto: bigint;
  readonly beam: number;
  readonly coda: number;
  readonly mineropret: Uint8Array;
  readonly earlytxidcontract: number;
  /** The big `if` in komodo_args: true when the extra-parameter buffer is built (and hashed). */
  readonly hasExtraParams: boolean;
}

/** komodod's silent int conversions: the value as the C integer type it is stored in. */
const asInt32 = (n: number) => n | 0;
const asUint32 = (n: number) => n >>> 0;

/** Mirrors komodo_args(): the effective assetchain parameters komodod derives from `params`. */
export function resolveAssetchain(params: AssetchainParams): ResolvedAssetchain {
  const symbol = params.name.slice(0, AC_NAME_MAX_LENGTH);
  const cc = asUint32(params.cc ?? 0);

  // -ac_ccenable is only read when ac_cc is set. nonz counts entries that differ from the previous
  // counted one (prevCCi is a uint8), then the first nonz entries are enabled - komodod's exact loop.
  const disableBits = new Uint8Array(32);
  let nonz = 0;
  let cclib = '';
  if (cc !== 0) {
    cclib = params.cclib ?? '';
    const ccenables = splitFill(params.ccenable, 256, 0);
    let prev = 0;
    for (const value of ccenables) {
      if (value !== prev && value !== 0) {
        nonz++;
        prev = value & 0xff;
      }
    }
    if (nonz > 0) {
      disableBits.fill(0xff);
      for (let i = 0; i < nonz; i++) {
        const code = (ccenables[i] ?? 0) & 0xff;
        disableBits[code >> 3] = (disableBits[code >> 3] ?? 0) & ~(1 << (code & 7));
      }
      disableBits[0] = (disableBits[0] ?? 0) & ~1; // "always enable contract 0"
    }
  }

  const blocktime = asInt32(params.blocktime ?? AC_BLOCKTIME_DEFAULT);
  const snapshot = asInt32(params.snapshot ?? 0);
  const nkFilled = splitFill(params.nk?.map(BigInt), 2, 0n);
  const nk: [bigint, bigint] = [nkFilled[0] ?? 0n, nkFilled[1] ?? 0n];

  const algoIndex = (AC_ALGORITHMS as readonly string[]).indexOf(params.algo ?? AC_ALGORITHMS[0]);
  const algo = Math.max(algoIndex, 0); // unknown: "not supported. using equihash"

  let eras = params.eras ?? 1;
  if (eras < 1 || eras > ASSETCHAINS_MAX_ERAS) eras = 1;
  const lastEra = eras - 1;

  let timelockgte = params.timelockgte ?? TIMELOCK_OFF;
  let timeunlockfrom = params.timeunlockfrom ?? 0n;
  let timeunlockto = params.timeunlockto ?? 0n;
  if (timeunlockfrom > timeunlockto) {
    timelockgte = TIMELOCK_OFF;
    timeunlockfrom = 0n;
    timeunlockto = 0n;
  }

  const end = splitFill(params.end, ERA_SLOTS, 0n);
  const reward = splitFill(params.reward, ERA_SLOTS, 0n);
  const halving = splitFill(params.halving, ERA_SLOTS, 0n);
  const decay = splitFill(params.decay, ERA_SLOTS, 0n);
  const notarypay = splitFill(params.notarypay, ERA_SLOTS, 0n);
  for (let i = 0; i < ASSETCHAINS_MAX_ERAS; i++) {
    // "ASSETCHAINS_DECAY of 100000000 means linear and that needs ASSETCHAINS_ENDSUBSIDY" / "cant be more"
    if ((decay[i] === SATOSHIDEN && end[i] === 0n) || (decay[i] ?? 0n) > SATOSHIDEN) decay[i] = 0n;
  }

  const txpow = (params.txpow ?? 0) & 3;
  let founders = asInt32(params.founders ?? 0);
  const foundersReward = BigInt.asUintN(64, params.foundersReward ?? 0n);
  const supply = BigInt.asUintN(64, BigInt(params.supply ?? AC_SUPPLY_DEFAULT));
  let commission = BigInt.asUintN(64, BigInt(params.perc ?? 0));
  const pubkey = params.pubkey ?? '';
  const script = params.script ?? '';
  const cbmaturity = asInt32(params.cbmaturity ?? 0);
  const adaptivepow = (params.adaptivepow ?? 0) & 0xff;
  const mineropretHex = params.mineropret ?? '';
  const mineropret =
    mineropretHex.length >= 2 && isHex(mineropretHex)
      ? hexToBytes(mineropretHex.slice(0, mineropretHex.length - (mineropretHex.length % 2)))
      : new Uint8Array(0);
  const beam = params.beam ?? 0;
  const coda = params.coda ?? 0;
  const selfImport = params.import ?? '';
  let staked = asInt32(params.staked ?? 0);
  if (staked > 100) staked = 100;

  const pubkey33 = new Uint8Array(33);
  if (pubkey.length === 66 || script.length > 1) {
    if (pubkey.length === 66 && isHex(pubkey)) pubkey33.set(hexToBytes(pubkey));
    if (commission === 0n && founders !== 0 && foundersReward === 0n)
      commission = FOUNDERS_DEFAULT_COMMISSION;
  } else {
    // "ASSETCHAINS_COMMISSION needs an ASSETCHAINS_OVERRIDE_PUBKEY", "ASSETCHAINS_FOUNDERS needs ..."
    commission = 0n;
    founders = 0;
  }

  const isPublic = params.public ?? 0;
  const isPrivate = params.private ?? 0;
  const earlytxidcontract = asInt32(params.earlytxidcontract ?? 0);

  const hasExtraParams =
    end[0] !== 0n ||
    reward[0] !== 0n ||
    halving[0] !== 0n ||
    decay[0] !== 0n ||
    commission !== 0n ||
    isPublic !== 0 ||
    isPrivate !== 0 ||
    txpow !== 0 ||
    founders !== 0 ||
    script.length > 1 ||
    selfImport.length > 0 ||
    pubkey33[0] !== 0 ||
    timelockgte !== TIMELOCK_OFF ||
    algo !== 0 ||
    lastEra > 0 ||
    beam !== 0 ||
    coda !== 0 ||
    nonz > 0 ||
    cclib.length > 0 ||
    foundersReward !== 0n ||
    notarypay[0] !== 0n ||
    blocktime !== AC_BLOCKTIME_DEFAULT ||
    mineropret.length !== 0 ||
    (nk[0] !== 0n && nk[1] !== 0n) ||
    snapshot !== 0 ||
    earlytxidcontract !== 0 ||
    cbmaturity !== 0 ||
    adaptivepow !== 0;

  return {
    symbol,
    supply,
    lastEra,
    end,
    reward,
    halving,
    decay,
    notarypay,
    commission,
    founders,
    foundersReward,
    pubkey33,
    script,
    selfImport,
    cc,
    ccEnabledCount: nonz,
    ccDisableBits: disableBits,
    cclib,
    staked,
    public: isPublic,
    private: isPrivate,
    txpow,
    blocktime,
    snapshot,
    cbmaturity,
    adaptivepow,
    algo,
    nk,
    timelockgte,
    timeunlockfrom,
    timeunlockto,
    beam,
    coda,
    mineropret,
    earlytxidcontract,
    hasExtraParams,
  };
}

/**
 * The coinbase maturity komodod sets for an assetchain (komodo_args): ac_cbmaturity when given, else 1 for
 * a single-era chain, else the KMD default of 100. (komodod also uses 1 for its internal STAKED/LABS chains.)
 */
export function coinbaseMaturity(params: AssetchainParams): number {
  if (params.name === '' || params.name === 'KMD') return 100;
  const r = resolveAssetchain(params);
  if (r.cbmaturity !== 0) return r.cbmaturity;
  return r.lastEra === 0 ? 1 : 100;
}

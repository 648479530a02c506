// Fixed dPoW settings (dPoW iguana/dPoW.h, iguana_notary.c iguana_dpow).

/** DPOW_KOMODOCONFIRMS: KMD blocks are notarised this deep. */
export const DPOW_KOMODOCONFIRMS = 10;
/** DPOW_THIRDPARTY_CONFIRMS: assetchain blocks are notarised this deep. */
export const DPOW_THIRDPARTY_CONFIRMS = 5;
/** DPOW_CHECKPOINTFREQ: KMD blocks between two rounds of a chain notarising into KMD. */
export const DPOW_CHECKPOINTFREQ = 10;
/** Largest MoM depth (1440·30, dpow_fsm.c dpow_calcMoM). */
export const MAX_MOMDEPTH = 1440 * 30;

export interface DpowSettings {
  readonly dest: string;
  readonly srcconfirms: number;
  readonly freq: number;
  readonly minsigs: number;
}

export interface MinsigsSource {
  readonly minsigs: number;
  readonly btcMinsigs: number | undefined;
}

/**
 * KMD → LTC: srcconfirms 10, freq 10, minsigs = BTCminsigs when above the floor (DPOW_MINSIGS, 4), else
 * the floor. Others → their dest (KMD by default): srcconfirms 5, minsigs = minsigs, freq = the requested one when > 2, else 2
 * (CHIPS and TEST* chains asking for 0 get 100).
 */
export function dpowSettings(
  symbol: string,
  dest: string,
  requestedFreq: number,
  elected: MinsigsSource,
  minsigsFloor: number,
): DpowSettings {
  if (symbol === 'KMD') {
    const btc = elected.btcMinsigs ?? 0;
    return {
      dest: 'LTC',
      srcconfirms: DPOW_KOMODOCONFIRMS,
      freq: 10,
      minsigs: Math.max(btc, minsigsFloor),
    };
  }
  let freq = Math.max(requestedFreq, 2);
  if (requestedFreq === 0 && (symbol === 'CHIPS' || symbol.startsWith('TEST'))) freq = 100;
  return { dest, srcconfirms: DPOW_THIRDPARTY_CONFIRMS, freq, minsigs: elected.minsigs };
}

/** The block notarised when source height `h` arrives: srcconfirms deep in Iguana's fifo, h − 1 − srcconfirms. */
export function candidateHeight(h: number, srcconfirms: number): number {
  return h - 1 - srcconfirms;
}

/**
 * Whether a round starts for `candidate`: a multiple of freq, and into KMD only when at least
 * DPOW_CHECKPOINTFREQ KMD blocks passed since this chain's previous round.
 */
export function roundDue(
  candidate: number,
  freq: number,
  destIsKmd: boolean,
  destHeight: number,
  prevDestHeight: number,
): boolean {
  if (candidate <= 0 || candidate % freq !== 0) return false;
  if (destIsKmd && destHeight < prevDestHeight + DPOW_CHECKPOINTFREQ) return false;
  return true;
}

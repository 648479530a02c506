import type { KomodoOptions } from './flags.js';

/**
 * An assetchain's consensus parameters as given on komodod's command line (-ac_* flags). Absent fields
 * take komodod's defaults. `name` '' or 'KMD' means the KMD main chain.
 */
export interface AssetchainParams {
  readonly name: string;
  readonly supply?: number;
  readonly eras?: number;
  readonly reward?: readonly bigint[];
  readonly end?: readonly bigint[];
  readonly halving?: readonly bigint[];
  readonly decay?: readonly bigint[];
  readonly notarypay?: readonly bigint[];
  readonly perc?: number;
  readonly founders?: number;
  readonly foundersReward?: bigint;
  readonly pubkey?: string;
  readonly script?: string;
  readonly import?: string;
  readonly cc?: number;
  readonly ccenable?: readonly number[];
  readonly cclib?: string;
  readonly staked?: number;
  readonly public?: number;
  readonly private?: number;
  readonly txpow?: number;
  readonly blocktime?: number;
  readonly snapshot?: number;
  readonly cbmaturity?: number;
  readonly adaptivepow?: number;
  readonly algo?: string;
  readonly nk?: readonly number[];
  readonly timelockgte?: bigint;
  readonly timeunlockfrom?: bigint;
  readonly timeunlockto?: bigint;
  readonly beam?: number;
  readonly coda?: number;
  readonly mineropret?: string;
  readonly earlytxidcontract?: number;
  readonly sapling?: number;
}

/** The KMD main chain (komodod without -ac_name). */
export const KMD_CHAIN: AssetchainParams = Object.freeze({ name: 'KMD' });

export function isKmd(params: AssetchainParams): boolean {
  return params.name === '' || params.name === 'KMD';
}

/** Picks the -ac_* options out of parsed komodod options (KMD when -ac_name is absent). */
export function assetchainParamsFromOptions(o: KomodoOptions): AssetchainParams {
  const p: { -readonly [K in keyof AssetchainParams]: AssetchainParams[K] } = { name: o.ac_name ?? 'KMD' };
  const set = <K extends keyof AssetchainParams>(key: K, value: AssetchainParams[K] | undefined) => {
    if (value !== undefined) p[key] = value;
  };
  set('supply', o.ac_supply);
  set('eras', o.ac_eras);
  set('reward', o.ac_reward);
  set('end', o.ac_end);
  set('halving', o.ac_halving);
  set('decay', o.ac_decay);
  set('notarypay', o.ac_notarypay);
  set('perc', o.ac_perc);
  set('founders', o.ac_founders);
  set('foundersReward', o.ac_founders_reward);
  set('pubkey', o.ac_pubkey);
  set('script', o.ac_script);
  set('import', o.ac_import);
  set('cc', o.ac_cc);
  set('ccenable', o.ac_ccenable);
  set('cclib', o.ac_cclib);
  set('staked', o.ac_staked);
  set('public', o.ac_public);
  set('private', o.ac_private);
  set('txpow', o.ac_txpow);
  set('blocktime', o.ac_blocktime);
  set('snapshot', o.ac_snapshot);
  set('cbmaturity', o.ac_cbmaturity);
  set('adaptivepow', o.ac_adaptivepow);
  set('algo', o.ac_algo);
  set('nk', o.ac_nk);
  set('timelockgte', o.ac_timelockgte);
  set('timeunlockfrom', o.ac_timeunlockfrom);
  set('timeunlockto', o.ac_timeunlockto);
  set('beam', o.ac_beam);
  set('coda', o.ac_coda);
  set('mineropret', o.ac_mineropret);
  set('earlytxidcontract', o.ac_earlytxidcontract);
  set('sapling', o.ac_sapling);
  return p;
}

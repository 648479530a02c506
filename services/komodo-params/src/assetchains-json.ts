import { z } from 'zod';
import { KomodoArgsError } from './errors.js';
import { parseFlagValue } from './flag-values.js';
import { KOMODO_FLAGS, type KomodoFlagName } from './flags.js';
import { parseKomodoArgs } from './parse-args.js';

// One entry of dPoW's iguana/assetchains.json: each key is a komodod flag without its dash, every value a
// string (numbers too), `addnode` a list. dPoW's iguana/listassetchainparams turns an entry into a
// command line; entryToArgs does the same.

function flagValue(key: KomodoFlagName) {
  return z
    .string({
      error: `${key}: must be a string (assetchains.json stores every value, numbers too, as a string)`,
    })
    .superRefine((value, ctx) => {
      try {
        parseFlagValue(key, KOMODO_FLAGS[key], value, false);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof KomodoArgsError ? err.message : String(err) });
      }
    });
}

const entryShape = {
  ac_name: flagValue('ac_name'),
  ac_supply: flagValue('ac_supply').optional(),
  ac_reward: flagValue('ac_reward').optional(),
  ac_end: flagValue('ac_end').optional(),
  ac_halving: flagValue('ac_halving').optional(),
  ac_decay: flagValue('ac_decay').optional(),
  ac_notarypay: flagValue('ac_notarypay').optional(),
  ac_eras: flagValue('ac_eras').optional(),
  ac_perc: flagValue('ac_perc').optional(),
  ac_founders: flagValue('ac_founders').optional(),
  ac_founders_reward: flagValue('ac_founders_reward').optional(),
  ac_pubkey: flagValue('ac_pubkey').optional(),
  ac_script: flagValue('ac_script').optional(),
  ac_import: flagValue('ac_import').optional(),
  ac_cc: flagValue('ac_cc').optional(),
  ac_ccenable: flagValue('ac_ccenable').optional(),
  ac_cclib: flagValue('ac_cclib').optional(),
  ac_ccactivate: flagValue('ac_ccactivate').optional(),
  ac_ccactivateht: flagValue('ac_ccactivateht').optional(),
  ac_staked: flagValue('ac_staked').optional(),
  ac_public: flagValue('ac_public').optional(),
  ac_private: flagValue('ac_private').optional(),
  ac_txpow: flagValue('ac_txpow').optional(),
  ac_blocktime: flagValue('ac_blocktime').optional(),
  ac_snapshot: flagValue('ac_snapshot').optional(),
  ac_cbmaturity: flagValue('ac_cbmaturity').optional(),
  ac_adaptivepow: flagValue('ac_adaptivepow').optional(),
  ac_algo: flagValue('ac_algo').optional(),
  ac_nk: flagValue('ac_nk').optional(),
  ac_timelockgte: flagValue('ac_timelockgte').optional(),
  ac_timeunlockfrom: flagValue('ac_timeunlockfrom').optional(),
  ac_timeunlockto: flagValue('ac_timeunlockto').optional(),
  ac_coda: flagValue('ac_coda').optional(),
  ac_mineropret: flagValue('ac_mineropret').optional(),
  ac_earlytxidcontract: flagValue('ac_earlytxidcontract').optional(),
  ac_sapling: flagValue('ac_sapling').optional(),
  ac_overwinter: flagValue('ac_overwinter').optional(),
  addressindex: flagValue('addressindex').optional(),
  spentindex: flagValue('spentindex').optional(),
  txindex: flagValue('txindex').optional(),
  earlytxid: flagValue('earlytxid').optional(),
  datadir: flagValue('datadir').optional(),
  addnode: z.array(flagValue('addnode'), { error: 'addnode: must be a list of strings' }).optional(),
};

/** Keys accepted in an assetchains.json entry (in the order this package documents them). */
export const ASSETCHAIN_ENTRY_KEYS = Object.keys(entryShape) as readonly (keyof typeof entryShape)[];

/** The literal `${HOME}` dPoW writes into paths. */
const HOME_VAR = ['$', '{HOME}'].join('');

/** A placeholder home used only to validate entries; the value never leaves this module. */
const VALIDATION_HOME = '/home/validate';

/**
 * zod schema of one assetchains.json entry: known keys only, string values checked as komodod would read
 * them, and the whole entry checked with the same cross-flag rules as parseKomodoArgs.
 */
export const assetchainEntrySchema = z.strictObject(entryShape).superRefine((entry, ctx) => {
  // A bad single value is already reported by its key; only check combinations of good values.
  if (!valuesAreValid(entry)) return;
  try {
    parseKomodoArgs(entryToArgs(entry, { home: VALIDATION_HOME }));
  } catch (err) {
    if (err instanceof KomodoArgsError)
      ctx.addIssue({ code: 'custom', path: [err.flag], message: err.message });
    else throw err;
  }
});

export type AssetchainEntry = z.infer<typeof assetchainEntrySchema>;

function valuesAreValid(entry: Record<string, string | string[] | undefined>): boolean {
  for (const [key, value] of Object.entries(entry)) {
    if (value === undefined || !(key in KOMODO_FLAGS)) continue;
    const spec = KOMODO_FLAGS[key as KomodoFlagName];
    for (const v of Array.isArray(value) ? value : [value]) {
      try {
        parseFlagValue(key, spec, v, false);
      } catch {
        return false;
      }
    }
  }
  return true;
}

/** The whole file: a JSON array of entries. */
export const assetchainsFileSchema = z.array(assetchainEntrySchema);

/**
 * The komodod command line for an entry, as dPoW's listassetchainparams + assets.sh build it: keys in JSON
 * order, `-key=value`, a list becomes one flag per item, `${HOME}` expanded (upstream only expands it in
 * `datadir`, the only key that uses it), then `-pubkey=` when given.
 */
export function entryToArgs(entry: AssetchainEntry, opts: { home: string; pubkey?: string }): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) args.push(`-${key}=${v.replaceAll(HOME_VAR, opts.home)}`);
  }
  if (opts.pubkey !== undefined) args.push(`-pubkey=${opts.pubkey}`);
  return args;
}

export interface ChainIdentity {
  /** -ac_name. Not unique on its own (two GLEEC entries exist in Season 8). */
  readonly acName: string;
  /** The data dir with `${HOME}` left unexpanded; the default ~/.komodo/NAME when the entry has none. */
  readonly datadir: string;
  /** True when the entry sets datadir itself. */
  readonly customDatadir: boolean;
  /** The coin name Iguana and the dPoW scripts use: the data dir's folder name (GLEEC_OLD), else ac_name. */
  readonly iguanaName: string;
  /** A stable key for maps and Redis: `${acName}@${datadir}`. */
  readonly key: string;
}

/** The (ac_name, datadir) identity of an entry, plus the name Iguana knows it by. */
export function chainIdentity(entry: Pick<AssetchainEntry, 'ac_name' | 'datadir'>): ChainIdentity {
  const acName = entry.ac_name;
  const customDatadir = entry.datadir !== undefined;
  const datadir = (entry.datadir ?? `${HOME_VAR}/.komodo/${acName}`).replace(/\/+$/, '');
  const folder = datadir.slice(datadir.lastIndexOf('/') + 1);
  const iguanaName = customDatadir && folder.length > 0 ? folder : acName;
  return { acName, datadir, customDatadir, iguanaName, key: `${acName}@${datadir}` };
}

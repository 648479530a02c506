import type { AssetchainParams } from './chain-params.js';
import { KomodoArgsError } from './errors.js';
import {
  AC_NAME_MAX_LENGTH,
  AC_SUPPLY_MAX_WITH_PUBKEY,
  ASSETCHAINS_MAX_ERAS,
  EQUIHASH_NK_PAIRS,
  ERA_SLOTS,
  PIRATE_HALVING,
  SATOSHIDEN,
} from './komodo-limits.js';
import { splitFill } from './resolve.js';

// Cross-flag rules. Each one is a combination komodo_args() refuses (StartShutdown/exit) or silently
// rewrites; refusing them keeps the chain we think we run equal to the chain komodod runs.

export function checkConsensusRules(p: AssetchainParams): void {
  if (p.name.length > AC_NAME_MAX_LENGTH) throw new KomodoArgsError('ac_name', 'too long');
  const hasPubkey = (p.pubkey ?? '').length === 66;
  const hasScript = (p.script ?? '').length > 1;
  const notarypay = p.notarypay ?? [];

  if ((p.perc ?? 0) !== 0 && (p.foundersReward ?? 0n) !== 0n)
    throw new KomodoArgsError(
      'ac_founders_reward',
      'cannot use founders reward and commission (ac_perc) on the same chain',
    );
  if ((p.beam ?? 0) !== 0)
    throw new KomodoArgsError(
      'ac_beam',
      'komodod shuts down when -ac_beam is set ("can only have one of -ac_beam or -ac_coda")',
    );

  const selfImport = p.import;
  if (selfImport === 'PUBKEY' && !hasPubkey)
    throw new KomodoArgsError('ac_import', '-ac_import=PUBKEY needs a 66-character -ac_pubkey');
  if (selfImport === 'BEAM')
    throw new KomodoArgsError('ac_import', '-ac_import=BEAM needs -ac_beam, which komodod refuses');
  if (selfImport === 'CODA' && (p.coda ?? 0) === 0)
    throw new KomodoArgsError('ac_import', '-ac_import=CODA needs -ac_coda');
  if (selfImport !== undefined && !['PUBKEY', 'BEAM', 'CODA'].includes(selfImport)) {
    if ((p.end?.[0] ?? 0n) !== 1n || (p.supply ?? 10) > 0 || (p.perc ?? 0) !== 0)
      throw new KomodoArgsError('ac_import', 'a gateway import needs -ac_end=1 -ac_supply=0 -ac_perc=0');
  }

  if (hasPubkey || hasScript) {
    const flag = hasPubkey ? 'ac_pubkey' : 'ac_script';
    if ((p.supply ?? 10) > AC_SUPPLY_MAX_WITH_PUBKEY)
      throw new KomodoArgsError(flag, "ac_pubkey or ac_script won't work with ac_supply over 10 billion");
    if ((notarypay[0] ?? 0n) !== 0n)
      throw new KomodoArgsError('ac_notarypay', 'cannot be used with ac_pubkey or ac_script');
  } else {
    if ((p.perc ?? 0) !== 0)
      throw new KomodoArgsError('ac_perc', 'needs -ac_pubkey or -ac_script (komodod resets it to 0)');
    if ((p.founders ?? 0) !== 0)
      throw new KomodoArgsError('ac_founders', 'needs -ac_pubkey or -ac_script (komodod resets it to 0)');
  }

  if ((p.private ?? 0) !== 0 && !(p.name === 'PIRATE' && p.halving?.[0] === PIRATE_HALVING))
    throw new KomodoArgsError('ac_private', '-ac_private is only supported for PIRATE (komodod shuts down)');

  const end = splitFill(p.end, ERA_SLOTS, 0n);
  const decay = splitFill(p.decay, ERA_SLOTS, 0n);
  for (let i = 0; i < ASSETCHAINS_MAX_ERAS; i++) {
    if (decay[i] === SATOSHIDEN && end[i] === 0n)
      throw new KomodoArgsError(
        'ac_decay',
        `era ${i}: 100000000 means linear decay and needs a non-zero -ac_end`,
      );
  }

  if ((p.timeunlockfrom ?? 0n) > (p.timeunlockto ?? 0n))
    throw new KomodoArgsError(
      'ac_timeunlockfrom',
      'must not exceed -ac_timeunlockto (komodod would disable the timelock)',
    );

  if (p.nk !== undefined) {
    const [n, k] = splitFill(p.nk, 2, 0);
    if (!EQUIHASH_NK_PAIRS.some(([pn, pk]) => pn === n && pk === k))
      throw new KomodoArgsError('ac_nk', `equihash N.${n} K.${k} is not available (komodod exits)`);
  }
}

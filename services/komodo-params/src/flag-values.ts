import { KomodoArgsError } from './errors.js';
import type { FlagSpec } from './flags.js';

// Turns one raw command-line value into its typed form. komodod itself is lenient (atoi64 reads "12abc"
// as 12, Split() stops at the first bad character); here such values are refused so a typo never turns
// silently into a different chain magic.

const U64_MAX = 0xffff_ffff_ffff_ffffn;
const UNSIGNED = /^\d+$/;
const SIGNED = /^-?\d+$/;
const LIST = /^\s*\d+(\s*,\s*\d+)*\s*$/;
const AMOUNT = /^(\d+(\.\d{0,8})?|\.\d{1,8})$/;

export type FlagValue = boolean | number | bigint | string | number[] | bigint[] | string[];

function parseInteger(flag: string, raw: string, min: number, max: number): number {
  if (!SIGNED.test(raw)) throw new KomodoArgsError(flag, `"${raw}" is not an integer`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new KomodoArgsError(flag, `${raw} is out of range ${min}..${max}`);
  return n;
}

function parseU64(flag: string, raw: string, max: bigint): bigint {
  if (!UNSIGNED.test(raw)) throw new KomodoArgsError(flag, `"${raw}" is not an unsigned integer`);
  const n = BigInt(raw);
  if (n > max) throw new KomodoArgsError(flag, `${raw} is out of range 0..${max}`);
  return n;
}

function splitList(flag: string, raw: string, maxItems: number): string[] {
  if (!LIST.test(raw)) throw new KomodoArgsError(flag, `"${raw}" is not a comma list of unsigned integers`);
  const items = raw.split(',').map((s) => s.trim());
  if (items.length > maxItems)
    throw new KomodoArgsError(flag, `has ${items.length} values; at most ${maxItems}`);
  return items;
}

/**
 * Parses `raw` (the text after `=`, '' when bare) for a flag of kind `spec`.
 * `bare` tells `-flag` from `-flag=`.
 */
export function parseFlagValue(flag: string, spec: FlagSpec, raw: string, bare: boolean): FlagValue {
  if (spec.kind === 'bool') {
    // GetBoolArg: a bare flag is true; otherwise atoi(value) != 0. Only 0/1 are accepted here.
    if (bare || raw === '1') return true;
    if (raw === '0') return false;
    throw new KomodoArgsError(flag, `boolean flag takes no value, 0 or 1 (got "${raw}")`);
  }
  if (spec.kind === 'optional-string') return raw;
  if (bare && spec.kind !== 'repeat') throw new KomodoArgsError(flag, `needs a value (-${flag}=...)`);
  switch (spec.kind) {
    case 'int':
      return parseInteger(flag, raw, spec.min, spec.max);
    case 'u64':
      return parseU64(flag, raw, U64_MAX);
    case 'int-list':
      return splitList(flag, raw, spec.maxItems).map((s) => parseInteger(flag, s, spec.min, spec.max));
    case 'u64-list':
      return splitList(flag, raw, spec.maxItems).map((s) => parseU64(flag, s, spec.maxItem));
    case 'amount':
      if (!AMOUNT.test(raw))
        throw new KomodoArgsError(flag, `"${raw}" is not an amount with at most 8 decimals`);
      return raw;
    case 'string': {
      if (raw.length === 0) throw new KomodoArgsError(flag, 'must not be empty');
      const problem = spec.check?.(raw);
      if (problem) throw new KomodoArgsError(flag, problem);
      return raw;
    }
    case 'repeat': {
      if (raw.length === 0 && !spec.allowEmpty) throw new KomodoArgsError(flag, 'must not be empty');
      const problem = raw.length === 0 ? undefined : spec.check?.(raw);
      if (problem) throw new KomodoArgsError(flag, problem);
      return raw;
    }
  }
}

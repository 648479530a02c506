import { type AssetchainParams, assetchainParamsFromOptions } from './chain-params.js';
import { checkConsensusRules } from './consensus-rules.js';
import { KomodoArgsError } from './errors.js';
import { type FlagValue, parseFlagValue } from './flag-values.js';
import {
  isAssetchainFlag,
  isKomodoFlag,
  KOMODO_FLAGS,
  type KomodoFlagName,
  type KomodoOptions,
} from './flags.js';

// komodod's command line, as util.cpp ParseParameters() reads it: `-flag` or `-flag=value` (also `--flag`),
// the last occurrence wins for single-valued flags (mapArgs) and every occurrence is kept for repeatable
// ones (mapMultiArgs); `-nofoo` means `-foo=0` unless `-foo` is given (InterpretNegativeSetting).

/** A devchain-only `-dev*` flag, passed through unvalidated for devchain to check itself. */
export interface DevArg {
  /** Name without the dash, e.g. `devblocktime`. */
  readonly name: string;
  /** Text after `=`, or undefined for a bare `-devfoo`. */
  readonly value: string | undefined;
}

export interface ParsedKomodoArgs {
  /** Typed option values. */
  readonly options: KomodoOptions;
  /** Every given flag with its raw values in command-line order (mapMultiArgs), after -no negation. */
  readonly raw: ReadonlyMap<KomodoFlagName, readonly string[]>;
  /** `-dev*` flags in order. */
  readonly dev: readonly DevArg[];
  /** The assetchain symbol, or undefined for KMD. */
  readonly acName: string | undefined;
  /** The -ac_* parameters (KMD_CHAIN-like `{ name: 'KMD' }` when -ac_name is absent). */
  readonly chain: AssetchainParams;
}

function splitArg(arg: string): { name: string; value: string; bare: boolean } {
  const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
  const eq = body.indexOf('=');
  return eq < 0
    ? { name: body, value: '', bare: true }
    : { name: body.slice(0, eq), value: body.slice(eq + 1), bare: false };
}

/**
 * Parses a komodod argument vector (without argv[0]) into typed options, refusing what komodod would
 * refuse or silently misread. Throws KomodoArgsError naming the flag and the reason.
 */
export function parseKomodoArgs(argv: readonly string[]): ParsedKomodoArgs {
  const raw = new Map<KomodoFlagName, string[]>();
  const bareFlags = new Map<KomodoFlagName, boolean[]>();
  const negated = new Map<KomodoFlagName, string>();
  const dev: DevArg[] = [];

  for (const arg of argv) {
    if (!arg.startsWith('-') || arg === '-' || arg === '--')
      throw new KomodoArgsError(
        arg,
        'not a -flag (komodod stops reading its options at the first such argument)',
      );
    const { name, value, bare } = splitArg(arg);
    if (name.length === 0) throw new KomodoArgsError(arg, 'empty flag name');
    if (isKomodoFlag(name)) {
      raw.set(name, [...(raw.get(name) ?? []), value]);
      bareFlags.set(name, [...(bareFlags.get(name) ?? []), bare]);
      continue;
    }
    if (name.startsWith('dev')) {
      dev.push({ name, value: bare ? undefined : value });
      continue;
    }
    const positive = name.startsWith('no') ? name.slice(2) : '';
    if (isKomodoFlag(positive) && KOMODO_FLAGS[positive].kind === 'bool') {
      negated.set(positive, value);
      continue;
    }
    throw new KomodoArgsError(name, 'unknown flag');
  }

  // -nofoo / -nofoo=1 -> foo=0, -nofoo=0 -> foo=1, only when -foo itself is absent.
  for (const [name, value] of negated) {
    if (raw.has(name)) continue;
    const no = parseFlagValue(`no${name}`, KOMODO_FLAGS[name], value, value === '');
    raw.set(name, [no ? '0' : '1']);
    bareFlags.set(name, [false]);
  }

  const options: Record<string, FlagValue> = {};
  for (const [name, values] of raw) {
    const spec = KOMODO_FLAGS[name];
    const bares = bareFlags.get(name) ?? [];
    const parsed = values.map((v, i) => parseFlagValue(name, spec, v, bares[i] ?? false));
    options[name] = spec.kind === 'repeat' ? (parsed as string[]) : (parsed[parsed.length - 1] as FlagValue);
  }
  const typed = options as KomodoOptions;

  const acName = typed.ac_name;
  if (acName === undefined) {
    for (const name of raw.keys())
      if (isAssetchainFlag(name))
        throw new KomodoArgsError(name, 'only valid together with -ac_name (komodod ignores it for KMD)');
  }
  const chain = assetchainParamsFromOptions(typed);
  if (acName !== undefined) checkConsensusRules(chain);
  return { options: typed, raw, dev, acName, chain };
}

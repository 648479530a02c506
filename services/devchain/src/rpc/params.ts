import { MAX_MONEY } from '../chain/validate.js';
import { RpcCode, RpcError } from './errors.js';

/**
 * Positional parameters with komodod's conversion errors. komodod reads params with UniValue getters,
 * whose failures surface as RPC_MISC_ERROR (-1) with UniValue's own message; amounts go through
 * AmountFromValue (RPC_TYPE_ERROR, -3).
 */
export class Params {
  constructor(private readonly values: readonly unknown[]) {}

  get length(): number {
    return this.values.length;
  }

  has(i: number): boolean {
    return i < this.values.length && this.values[i] !== null;
  }

  raw(i: number): unknown {
    return this.values[i];
  }

  int(i: number): number;
  int(i: number, fallback: number): number;
  int(i: number, fallback?: number): number {
    if (!this.has(i) && fallback !== undefined) return fallback;
    const v = this.values[i];
    if (typeof v !== 'number')
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not an integer as expected');
    // UniValue get_int runs ParseInt32 on the number's text: fractions and anything beyond int32 fail.
    if (!Number.isInteger(v) || v < -0x8000_0000 || v > 0x7fff_ffff) {
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON integer out of range');
    }
    return v;
  }

  str(i: number): string;
  str(i: number, fallback: string): string;
  str(i: number, fallback?: string): string {
    if (!this.has(i) && fallback !== undefined) return fallback;
    const v = this.values[i];
    if (typeof v !== 'string')
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not a string as expected');
    return v;
  }

  bool(i: number): boolean;
  bool(i: number, fallback: boolean): boolean;
  bool(i: number, fallback?: boolean): boolean {
    if (!this.has(i) && fallback !== undefined) return fallback;
    const v = this.values[i];
    if (typeof v !== 'boolean') {
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not a boolean as expected');
    }
    return v;
  }

  array(i: number): unknown[];
  array(i: number, fallback: unknown[]): unknown[];
  array(i: number, fallback?: unknown[]): unknown[] {
    if (!this.has(i) && fallback !== undefined) return fallback;
    const v = this.values[i];
    if (!Array.isArray(v)) throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not an array as expected');
    return v;
  }

  object(i: number): Record<string, unknown> {
    const v = this.values[i];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not an object as expected');
    }
    return v as Record<string, unknown>;
  }

  amount(i: number): bigint {
    return amountFromValue(this.values[i]);
  }
}

/** The money range AmountFromValue enforces (MoneyRange with MAX_MONEY). */
const MAX_RPC_MONEY = MAX_MONEY;

export function amountFromValue(v: unknown): bigint {
  if (typeof v !== 'number' && typeof v !== 'string') {
    throw new RpcError(RpcCode.TYPE_ERROR, 'Amount is not a number or string');
  }
  const sats = parseFixedPoint(typeof v === 'number' ? numberText(v) : v, 8);
  if (sats === undefined) throw new RpcError(RpcCode.TYPE_ERROR, 'Invalid amount');
  if (sats < 0n || sats > MAX_RPC_MONEY) throw new RpcError(RpcCode.TYPE_ERROR, 'Amount out of range');
  return sats;
}

/** ParseFixedPoint's bound: at most 18 significant digits. */
const UPPER_BOUND = 10n ** 18n - 1n;

/**
 * Bitcoin's ParseFixedPoint (utilstrencodings.cpp), which AmountFromValue uses: an optional minus, an
 * integer part without leading zeros, an optional fraction, an optional exponent; the value must be
 * representable with `decimals` decimals and stay within 18 digits. No surrounding whitespace.
 */
export function parseFixedPoint(text: string, decimals: number): bigint | undefined {
  const m = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?)([0-9]+))?$/.exec(text);
  if (!m) return undefined;
  const [, sign = '', whole = '', frac = '', expSign = '', expDigits = '0'] = m;
  if (expDigits.length > 18) return undefined;
  // As ParseFixedPoint does: leading zeros vanish, trailing zeros move into the exponent.
  const all = (whole === '0' ? '' : whole) + frac;
  const significant = all.replace(/^0+/, '');
  const trimmed = significant.replace(/0+$/, '');
  const trailingZeros = significant.length - trimmed.length + (significant.length === 0 ? all.length : 0);
  if (trimmed.length > 18) return undefined;
  const exponent = Number(expDigits) * (expSign === '-' ? -1 : 1) - frac.length + trailingZeros + decimals;
  // "cannot represent values smaller than 10^-decimals" / "larger than or equal to 10^(18-decimals)".
  if (exponent < 0 || exponent >= 18) return undefined;
  const mantissa = BigInt(trimmed || '0') * 10n ** BigInt(exponent);
  if (mantissa > UPPER_BOUND) return undefined;
  return sign === '-' ? -mantissa : mantissa;
}

/** The text UniValue would hold for a JSON number (it keeps the digits as sent; JSON.parse does not). */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return 'NaN';
  // toFixed avoids exponent notation for small values such as 1e-8.
  const fixed = n.toFixed(8);
  return Math.abs(Number(fixed) - n) < 1e-12 ? fixed.replace(/\.?0+$/, '') || '0' : String(n);
}

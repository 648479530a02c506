import { RpcCode, RpcError } from './errors.js';
import { parseAmountText } from './json.js';

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
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not an integer as expected');
    }
    return v;
  }

  str(i: number): string;
  str(i: number, fallback: string): string;
  str(i: number, fallback?: string): string {
    if (!this.has(i) && fallback !== undefined) return fallback;
    const v = this.values[i];
    if (typeof v !== 'string') throw new RpcError(RpcCode.MISC_ERROR, 'JSON value is not a string as expected');
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

export function amountFromValue(v: unknown): bigint {
  if (typeof v !== 'number' && typeof v !== 'string') {
    throw new RpcError(RpcCode.TYPE_ERROR, 'Amount is not a number or string');
  }
  const text = typeof v === 'number' ? numberText(v) : v.trim();
  if (text.startsWith('-')) throw new RpcError(RpcCode.TYPE_ERROR, 'Amount out of range');
  const sats = parseAmountText(text);
  if (sats === undefined) throw new RpcError(RpcCode.TYPE_ERROR, 'Invalid amount');
  if (sats > 21_000_000_000n * 100_000_000n) throw new RpcError(RpcCode.TYPE_ERROR, 'Amount out of range');
  return sats;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) return 'NaN';
  // toFixed avoids exponent notation for small values such as 1e-8.
  const fixed = n.toFixed(8);
  return Math.abs(Number(fixed) - n) < 1e-12 ? fixed.replace(/\.?0+$/, '') || '0' : String(n);
}

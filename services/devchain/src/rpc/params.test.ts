import { describe, expect, it } from 'vitest';
import { RpcError } from './errors.js';
import { amountFromValue, Params, parseFixedPoint } from './params.js';

function rpcError(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof RpcError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('did not throw');
}

describe('Params (UniValue getters)', () => {
  it('reads values and falls back only when absent or null', () => {
    const p = new Params([5, 'x', true, [1], { a: 1 }, null]);
    expect(p.int(0)).toBe(5);
    expect(p.str(1)).toBe('x');
    expect(p.bool(2)).toBe(true);
    expect(p.array(3)).toEqual([1]);
    expect(p.object(4)).toEqual({ a: 1 });
    expect(p.int(5, 9)).toBe(9);
    expect(p.int(6, 7)).toBe(7);
    expect(p.has(5)).toBe(false);
    expect(p.length).toBe(6);
  });

  it('answers wrong types with -1 and UniValue messages', () => {
    const p = new Params(['10', 10, 'true', 'x', []]);
    expect(rpcError(() => p.int(0))).toEqual({
      code: -1,
      message: 'JSON value is not an integer as expected',
    });
    expect(rpcError(() => p.str(1))).toEqual({ code: -1, message: 'JSON value is not a string as expected' });
    expect(rpcError(() => p.bool(2))).toEqual({
      code: -1,
      message: 'JSON value is not a boolean as expected',
    });
    expect(rpcError(() => p.array(3))).toEqual({
      code: -1,
      message: 'JSON value is not an array as expected',
    });
    expect(rpcError(() => p.object(4))).toEqual({
      code: -1,
      message: 'JSON value is not an object as expected',
    });
    expect(rpcError(() => p.int(9))).toEqual({
      code: -1,
      message: 'JSON value is not an integer as expected',
    });
  });

  it('answers fractions and values beyond int32 with "JSON integer out of range"', () => {
    const p = new Params([1.5, 2 ** 31, -(2 ** 31), 2 ** 31 - 1]);
    expect(rpcError(() => p.int(0))).toEqual({ code: -1, message: 'JSON integer out of range' });
    expect(rpcError(() => p.int(1))).toEqual({ code: -1, message: 'JSON integer out of range' });
    expect(p.int(2)).toBe(-(2 ** 31));
    expect(p.int(3)).toBe(2 ** 31 - 1);
  });
});

describe('amountFromValue (AmountFromValue)', () => {
  it('takes numbers and numeric strings with up to 8 decimals', () => {
    expect(amountFromValue(1)).toBe(100_000_000n);
    expect(amountFromValue(0.0001)).toBe(10_000n);
    expect(amountFromValue('0.00000001')).toBe(1n);
    expect(amountFromValue(1e-8)).toBe(1n);
    expect(amountFromValue('1e-8')).toBe(1n);
    expect(amountFromValue('12.5e-1')).toBe(125_000_000n);
    expect(amountFromValue('1.000000000')).toBe(100_000_000n);
    expect(amountFromValue(0)).toBe(0n);
  });

  it('answers non-number types with -3 "Amount is not a number or string"', () => {
    for (const v of [true, null, [1], { a: 1 }, undefined]) {
      expect(rpcError(() => amountFromValue(v))).toEqual({
        code: -3,
        message: 'Amount is not a number or string',
      });
    }
  });

  it('answers unparsable and too precise values with -3 "Invalid amount"', () => {
    for (const v of [
      'abc',
      '',
      ' 1',
      '1.',
      '.5',
      '01',
      '0.000000001',
      0.123456789,
      '1e-9',
      '10000000000',
      '-0.000000001',
    ]) {
      expect(rpcError(() => amountFromValue(v))).toEqual({ code: -3, message: 'Invalid amount' });
    }
  });

  it('answers negative values with -3 "Amount out of range"', () => {
    for (const v of [-1, '-1', '-0.00000001']) {
      expect(rpcError(() => amountFromValue(v))).toEqual({ code: -3, message: 'Amount out of range' });
    }
  });
});

describe('parseFixedPoint', () => {
  it('follows ParseFixedPoint for exponents and limits', () => {
    expect(parseFixedPoint('1E+2', 8)).toBe(10_000_000_000n);
    expect(parseFixedPoint('-2', 8)).toBe(-200_000_000n);
    expect(parseFixedPoint('0e20', 8)).toBeUndefined();
    expect(parseFixedPoint('9999999999.99999999', 8)).toBe(999_999_999_999_999_999n);
    expect(parseFixedPoint('1e', 8)).toBeUndefined();
    expect(parseFixedPoint('-', 8)).toBeUndefined();
  });
});

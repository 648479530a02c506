import { describe, expect, it } from 'vitest';
import { Amount, formatAmount, stringifyRpc } from './json.js';

describe('formatAmount (ValueFromAmount)', () => {
  it('prints exactly eight decimals, with a sign for negatives', () => {
    expect(formatAmount(10_000n)).toBe('0.00010000');
    expect(formatAmount(-150_000_000n)).toBe('-1.50000000');
    expect(formatAmount(0n)).toBe('0.00000000');
    expect(formatAmount(2_100_000_000_000_000n)).toBe('21000000.00000000');
  });
});

describe('stringifyRpc', () => {
  it('writes Amount as a bare number and bigint as a bare integer', () => {
    expect(stringifyRpc({ a: new Amount(1n), b: [new Amount(-5n)], c: 12n, d: 'x' })).toBe(
      '{"a":0.00000001,"b":[-0.00000005],"c":12,"d":"x"}',
    );
  });

  it('keeps strings that look like its internal marker as strings', () => {
    const text = stringifyRpc({ label: '\u0000amount:1', n: new Amount(1n) });
    expect(JSON.parse(text)).toEqual({ label: '\u0000amount:1', n: 1e-8 });
  });
});

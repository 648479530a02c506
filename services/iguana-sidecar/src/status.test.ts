import { describe, expect, it } from 'vitest';
import { activityOf } from './status.js';

const H = 3600;

describe('activityOf (notary-facts §6: < 2.5 h active, 2.5–24 h irregular, > 24 h inactive)', () => {
  it.each([
    [0, 'active'],
    [2.5 * H - 1, 'active'],
    [2.5 * H, 'irregular'],
    [12 * H, 'irregular'],
    [24 * H, 'irregular'],
    [24 * H + 1, 'inactive'],
    [30 * 24 * H, 'inactive'],
  ] as const)('%d s since the last notarisation → %s', (seconds, expected) => {
    expect(activityOf(seconds)).toBe(expected);
  });

  it('a coin never notarised is inactive', () => {
    expect(activityOf(null)).toBe('inactive');
  });
});

import { describe, expect, it } from 'vitest';
import { COIN } from '../rpc/json.js';
import { eraSubsidy, halvingSubsidy } from './rules.js';

describe('eraSubsidy', () => {
  it('pays a single era reward forever when no end is set', () => {
    const s = { rewards: [5n * COIN], ends: [0], halvings: [0] };
    expect(eraSubsidy(s, 1)).toBe(5n * COIN);
    expect(eraSubsidy(s, 1_000_000)).toBe(5n * COIN);
  });

  it('stops paying after -ac_end (CCL: -ac_end=1)', () => {
    const s = { rewards: [0n], ends: [1], halvings: [0] };
    expect(eraSubsidy(s, 1)).toBe(0n);
    const paid = { rewards: [7n], ends: [1], halvings: [0] };
    expect(eraSubsidy(paid, 1)).toBe(7n);
    expect(eraSubsidy(paid, 2)).toBe(0n);
  });

  it('moves through eras and halves within one', () => {
    const s = { rewards: [100n, 40n], ends: [10, 0], halvings: [0, 5] };
    expect(eraSubsidy(s, 10)).toBe(100n);
    expect(eraSubsidy(s, 11)).toBe(40n);
    expect(eraSubsidy(s, 15)).toBe(20n);
    expect(eraSubsidy(s, 20)).toBe(10n);
  });
});

describe('halvingSubsidy', () => {
  it('halves every interval', () => {
    expect(halvingSubsidy(0, 840_000)).toBe(50n * COIN);
    expect(halvingSubsidy(840_000, 840_000)).toBe(25n * COIN);
  });
});

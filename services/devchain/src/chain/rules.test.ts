import { describe, expect, it } from 'vitest';
import { COIN } from '../rpc/json.js';
import { type AssetchainSchedule, assetchainSubsidy, halvingSubsidy } from './rules.js';

// Expected values follow komodo_ac_block_subsidy (komodo src/komodo_utils.cpp).
const base: AssetchainSchedule = {
  lastEra: 0,
  rewards: [0n],
  ends: [0],
  halvings: [0],
  decays: [0n],
  supply: 10n,
  magicExtra: 0x123456n,
};

describe('assetchainSubsidy', () => {
  it('pays 0.0001 a block on chains without -ac_reward and -ac_end', () => {
    expect(assetchainSubsidy(base, 2)).toBe(10_000n);
    expect(assetchainSubsidy(base, 500_000)).toBe(10_000n);
  });

  it('pays -ac_supply plus the magic bits in block 1, instead of the reward on one-era chains', () => {
    const s = { ...base, rewards: [5n * COIN], supply: 1_000n };
    expect(assetchainSubsidy(s, 1)).toBe(1_000n * COIN + 0x123456n);
    expect(assetchainSubsidy(s, 2)).toBe(5n * COIN);
  });

  it('adds the premine on top of the reward on multi-era chains', () => {
    const s = {
      ...base,
      lastEra: 1,
      rewards: [5n * COIN, 1n * COIN],
      ends: [100, 0],
      halvings: [0, 0],
      decays: [0n, 0n],
    };
    expect(assetchainSubsidy(s, 1)).toBe(5n * COIN + 10n * COIN + 0x123456n);
  });

  it('ends an era before the -ac_end height (CCL: -ac_end=1 pays nothing after the premine)', () => {
    const s = { ...base, rewards: [7n], ends: [10] };
    expect(assetchainSubsidy(s, 9)).toBe(7n);
    expect(assetchainSubsidy(s, 10)).toBe(0n);
    const ccl = { ...base, rewards: [0n], ends: [1] };
    expect(assetchainSubsidy(ccl, 2)).toBe(0n);
  });

  it('moves through eras and halves within one, counting from the era start', () => {
    const s = {
      ...base,
      lastEra: 1,
      rewards: [100n, 40n],
      ends: [10, 0],
      halvings: [0, 5],
      decays: [0n, 0n],
    };
    expect(assetchainSubsidy(s, 9)).toBe(100n);
    expect(assetchainSubsidy(s, 10)).toBe(40n);
    expect(assetchainSubsidy(s, 14)).toBe(40n);
    expect(assetchainSubsidy(s, 15)).toBe(20n);
    expect(assetchainSubsidy(s, 20)).toBe(10n);
  });

  it('applies a non-linear decay per halving period', () => {
    const s = { ...base, rewards: [1_000n], halvings: [10], decays: [50_000_000n] };
    expect(assetchainSubsidy(s, 25)).toBe(250n);
  });

  it('pays supplies over 10 billion a billion a block', () => {
    const s = { ...base, rewards: [1n], supply: 12_500_000_000n };
    expect(assetchainSubsidy(s, 1)).toBe(1n + 1_000_000_000n * COIN + 500_000_000n * COIN + 0x123456n);
    expect(assetchainSubsidy(s, 12)).toBe(1_000_000_000n * COIN + 1n);
    expect(assetchainSubsidy(s, 13)).toBe(1n);
  });
});

describe('halvingSubsidy', () => {
  it('halves every interval', () => {
    expect(halvingSubsidy(0, 840_000)).toBe(50n * COIN);
    expect(halvingSubsidy(839_999, 840_000)).toBe(50n * COIN);
    expect(halvingSubsidy(840_000, 840_000)).toBe(25n * COIN);
    expect(halvingSubsidy(64 * 840_000, 840_000)).toBe(0n);
  });
});

import type { TxFormat } from '@nn/chain-crypto';
import { COIN } from '../rpc/json.js';

/** What the chain code needs to know about the chain it runs; built from the daemon's flags. */
export interface ChainRules {
  readonly format: TxFormat;
  /** Blocks before a coinbase output may be spent (komodod COINBASE_MATURITY 100, or -ac_cbmaturity). */
  readonly coinbaseMaturity: number;
  /** Block reward by height, without fees (for assetchains block 1 includes -ac_supply). */
  subsidy(height: number): bigint;
  /** Fixed genesis time, so every instance of a chain builds the same genesis block. */
  readonly genesisTime: number;
  /** Mixed into the genesis coinbase so chains with equal rules still get distinct genesis hashes. */
  readonly genesisTag: string;
}

/** The assetchain parameters komodo_ac_block_subsidy reads (after komodo_args' defaults and resets). */
export interface AssetchainSchedule {
  /** ASSETCHAINS_LASTERA: -ac_eras minus one. */
  readonly lastEra: number;
  /** -ac_reward per era, in satoshis. */
  readonly rewards: readonly bigint[];
  /** -ac_end per era: the height at which each era ends (0 = never). */
  readonly ends: readonly number[];
  /** -ac_halving per era: blocks between halvings (0 = none). */
  readonly halvings: readonly number[];
  /** -ac_decay per era (0 = halve, 100000000 = linear towards the next era's reward). */
  readonly decays: readonly bigint[];
  /** -ac_supply, in whole coins. */
  readonly supply: bigint;
  /** Added to block 1: the magic's low 24 bits (all 32 on -ac_staked chains). */
  readonly magicExtra: bigint;
}

const SATOSHIDEN = 100_000_000n;

/**
 * komodod's assetchain block reward (komodo_ac_block_subsidy in komodo src/komodo_utils.cpp), fees not
 * included. Chains without -ac_reward and -ac_end pay 0.0001 a block (the "backwards compat" branch);
 * the era is the first whose -ac_end is above the height (so -ac_end=N pays up to height N-1); block 1
 * pays -ac_supply plus the magic's low bits, instead of the reward on single-era chains.
 */
export function assetchainSubsidy(s: AssetchainSchedule, height: number): bigint {
  let subsidy = 0n;
  const end = (era: number) => s.ends[era] ?? 0;
  const reward = (era: number) => s.rewards[era] ?? 0n;
  if (end(0) === 0 && reward(0) === 0n) {
    subsidy = 10_000n;
  } else {
    let era = 0;
    if (end(0) !== 0) {
      while (era <= s.lastEra && !(end(era) > height || end(era) === 0)) era++;
    }
    if (era <= s.lastEra) {
      const start = era > 0 ? end(era - 1) : 0;
      subsidy = reward(era);
      const halving = s.halvings[era] ?? 0;
      const applies = subsidy !== 0n || (era !== s.lastEra && reward(era + 1) !== 0n);
      const halvings = halving > 0 ? Math.floor((height - start) / halving) : 0;
      if (applies && halvings > 0) subsidy = decayed(s, era, subsidy, halvings, height, start, halving);
    }
  }
  if (s.supply > 10_000_000_000n) {
    // Supplies over 10 billion are paid out 1 billion a block.
    if (BigInt(height) <= s.supply / 1_000_000_000n) {
      subsidy += 1_000_000_000n * SATOSHIDEN;
      if (height === 1) subsidy += (s.supply % 1_000_000_000n) * SATOSHIDEN + s.magicExtra;
    }
  } else if (height === 1) {
    const premine = s.supply * SATOSHIDEN + s.magicExtra;
    subsidy = s.lastEra === 0 ? premine : subsidy + premine;
  }
  return subsidy;
}

function decayed(
  s: AssetchainSchedule,
  era: number,
  reward: bigint,
  halvings: number,
  height: number,
  start: number,
  halving: number,
): bigint {
  const decay = s.decays[era] ?? 0n;
  const end = s.ends[era] ?? 0;
  if (decay === 0n) return halvings >= 64 ? 0n : reward >> BigInt(halvings);
  if (decay === SATOSHIDEN && end !== 0) {
    // Linear: moves from this era's reward towards the next era's (or to zero in the last era).
    let diff = era === s.lastEra ? reward : reward - (s.rewards[era + 1] ?? 0n);
    let sign = 1n;
    if (diff < 0n) {
      sign = -1n;
      diff = -diff;
    }
    const denominator = BigInt(end - start);
    const numerator = denominator - BigInt(end - height + ((height - start) % halving));
    return reward - sign * ((diff * numerator) / denominator);
  }
  let out = reward;
  for (let i = 0; i < halvings && out !== 0n; i++) out = (out * decay) / SATOSHIDEN;
  return out;
}

/** KMD pays 3 KMD a block (komodo_ac_block_subsidy's KMD branch, before the S7 reduction). */
export const KMD_BLOCK_REWARD = 3n * COIN;

/** Bitcoin/Litecoin subsidy: 50 coins halving every `interval` blocks. */
export function halvingSubsidy(height: number, interval: number): bigint {
  const halvings = Math.floor(height / interval);
  return halvings >= 64 ? 0n : (50n * COIN) >> BigInt(halvings);
}

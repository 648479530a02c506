import type { TxFormat } from '@nn/chain-crypto';
import { COIN } from '../rpc/json.js';

/** What the chain code needs to know about the chain it runs; built from the daemon's flags. */
export interface ChainRules {
  readonly format: TxFormat;
  /** Blocks before a coinbase output may be spent (komodod COINBASE_MATURITY 100, or -ac_cbmaturity). */
  readonly coinbaseMaturity: number;
  /** Coins created in block 1 on top of the subsidy (an assetchain's -ac_supply). */
  readonly premine: bigint;
  /** Block reward by height, without fees. */
  subsidy(height: number): bigint;
  /** Fixed genesis time, so every instance of a chain builds the same genesis block. */
  readonly genesisTime: number;
  /** Mixed into the genesis coinbase so chains with equal rules still get distinct genesis hashes. */
  readonly genesisTag: string;
}

export interface EraSchedule {
  /** -ac_reward per era, in satoshis. */
  readonly rewards: readonly bigint[];
  /** -ac_end per era: the last height of each era (0 = no end). */
  readonly ends: readonly number[];
  /** -ac_halving per era: blocks between halvings (0 = none). */
  readonly halvings: readonly number[];
}

/**
 * komodod's assetchain block reward (komodo_ac_block_subsidy): the era is the first whose -ac_end is
 * at or above the height; within an era the reward halves every -ac_halving blocks. After the last
 * era's end there is no reward.
 */
export function eraSubsidy(schedule: EraSchedule, height: number): bigint {
  const eras = Math.max(schedule.rewards.length, 1);
  let start = 0;
  for (let era = 0; era < eras; era++) {
    const end = schedule.ends[era] ?? 0;
    const reward = schedule.rewards[era] ?? 0n;
    if (end === 0 || height <= end) {
      const halving = schedule.halvings[era] ?? 0;
      if (halving <= 0) return reward;
      const halvings = Math.floor((height - start) / halving);
      return halvings >= 64 ? 0n : reward >> BigInt(halvings);
    }
    start = end;
  }
  return 0n;
}

/** KMD pays 3 KMD a block (komodo_ac_block_subsidy's KMD branch, before the S7 reduction). */
export const KMD_BLOCK_REWARD = 3n * COIN;

/** Bitcoin/Litecoin subsidy: 50 coins halving every `interval` blocks. */
export function halvingSubsidy(height: number, interval: number): bigint {
  const halvings = Math.floor(height / interval);
  return halvings >= 64 ? 0n : (50n * COIN) >> BigInt(halvings);
}

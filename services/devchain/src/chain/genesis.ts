import { nullDataScript } from '@nn/chain-crypto';
import { type Block, computeMerkleRoot, EASIEST_BITS } from './block.js';
import { coinbaseTx } from './miner.js';
import type { ChainRules } from './rules.js';

/**
 * A chain's genesis block, the same on every instance of the chain: its only output is an
 * unspendable OP_RETURN naming the chain, so two chains with the same rules still differ.
 */
export function genesisBlock(rules: ChainRules): Block {
  const tag = new TextEncoder().encode(`devchain genesis ${rules.genesisTag}`);
  const coinbase = coinbaseTx(rules.format, 0, 0n, nullDataScript(tag));
  return {
    header: {
      version: 4,
      prevHash: '0'.repeat(64),
      merkleRoot: computeMerkleRoot([coinbase]),
      time: rules.genesisTime,
      bits: EASIEST_BITS,
      nonce: 0,
    },
    txs: [coinbase],
  };
}

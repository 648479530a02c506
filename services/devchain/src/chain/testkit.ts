// Helpers for the chain, mempool and wallet tests (not used by devchain itself): a small chain with
// real keys and signatures, and hand-built blocks for competing branches.
import {
  keyPairFromPrivateKey,
  p2pkhScriptForPubkey,
  signInput,
  type TxFormat,
  type TxOutput,
} from '@nn/chain-crypto';
import { COIN } from '../rpc/json.js';
import { type Block, computeMerkleRoot, EASIEST_BITS } from './block.js';
import { type BlockEntry, ChainState } from './chainstate.js';
import { genesisBlock } from './genesis.js';
import { Mempool } from './mempool.js';
import { assembleBlock, coinbaseTx } from './miner.js';
import type { ChainRules } from './rules.js';
import { type Tx, wrapTx } from './tx.js';
import { buildTransaction, unsignedInput } from './txbuild.js';

export const SUBSIDY = 50n * COIN;

export function testRules(format: TxFormat, coinbaseMaturity = 3): ChainRules {
  return {
    format,
    coinbaseMaturity,
    subsidy: () => SUBSIDY,
    genesisTime: 1_600_000_000,
    genesisTag: `test-${format}`,
  };
}

export function newChain(format: TxFormat, coinbaseMaturity = 3): { chain: ChainState; mempool: Mempool } {
  const rules = testRules(format, coinbaseMaturity);
  const chain = new ChainState(rules, genesisBlock(rules));
  return { chain, mempool: new Mempool(chain) };
}

export const keyA = keyPairFromPrivateKey(new Uint8Array(32).fill(0x11));
export const keyB = keyPairFromPrivateKey(new Uint8Array(32).fill(0x22));
export const scriptA = p2pkhScriptForPubkey(keyA.publicKey);
export const scriptB = p2pkhScriptForPubkey(keyB.publicKey);

/** Mines `n` blocks from the pool onto the tip, paying `payout`; returns the new entries. */
export function mine(chain: ChainState, mempool: Mempool, n: number, payout = scriptA): BlockEntry[] {
  const out: BlockEntry[] = [];
  for (let i = 0; i < n; i++) {
    const block = assembleBlock(chain, mempool, payout, chain.tip.block.header.time + 60);
    const r = chain.addBlock(block, { verifyScripts: true });
    if (r.status !== 'active') throw new Error(`mined block not active: ${r.status}`);
    out.push(r.entry);
  }
  return out;
}

/** A block on top of `prev` (any known block), with a coinbase paying subsidy + `fees` (or `coinbaseValue`). */
export function blockOn(
  chain: ChainState,
  prev: BlockEntry,
  txs: Tx[] = [],
  opts: { fees?: bigint; coinbaseValue?: bigint; payout?: Uint8Array; nonce?: number } = {},
): Block {
  const height = prev.height + 1;
  const value = opts.coinbaseValue ?? chain.rules.subsidy(height) + (opts.fees ?? 0n);
  const all = [coinbaseTx(chain.rules.format, height, value, opts.payout ?? scriptA), ...txs];
  return {
    header: {
      version: 4,
      prevHash: prev.hash,
      merkleRoot: computeMerkleRoot(all),
      time: prev.block.header.time + 61,
      bits: EASIEST_BITS,
      nonce: opts.nonce ?? 7,
    },
    txs: all,
  };
}

/** A transaction spending outputs locked to `key` (P2PKH or P2PK), signed for real. */
export function spend(
  format: TxFormat,
  inputs: Array<{ txid: string; vout: number; value: bigint; script: Uint8Array }>,
  outputs: TxOutput[],
  key = keyA,
): Tx {
  let tx = buildTransaction(
    format,
    inputs.map((i) => unsignedInput(i.txid, i.vout)),
    outputs,
  );
  inputs.forEach((i, index) => {
    tx = signInput(tx, index, {
      privateKey: key.privateKey,
      prevScript: i.script,
      prevValue: i.value,
      format,
    });
  });
  return wrapTx(tx, format);
}

/** `t` with its first output lowered by one satoshi after signing: every signature is now invalid. */
export function tamper(t: Tx, format: TxFormat): Tx {
  const outputs = t.tx.outputs.map((o, i) => (i === 0 ? { ...o, value: o.value - 1n } : o));
  return wrapTx({ ...t.tx, outputs }, format);
}

/** The coinbase output of a block as a spendable input description. */
export function coinbaseOf(entry: BlockEntry): {
  txid: string;
  vout: number;
  value: bigint;
  script: Uint8Array;
} {
  const cb = entry.block.txs[0] as Tx;
  const out = cb.tx.outputs[0] as TxOutput;
  return { txid: cb.txid, vout: 0, value: out.value, script: out.script };
}

/** The UTXO set as sorted `txid:vout=value` lines, to compare whole sets. */
export function utxoSnapshot(chain: ChainState): string[] {
  return [...chain.allCoins()].map(([k, c]) => `${k}=${c.value}:${c.height}:${c.coinbase}`).sort();
}

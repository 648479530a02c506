import { buildScript, pushData, type TxFormat } from '@nn/chain-crypto';
import { type Block, computeMerkleRoot, EASIEST_BITS } from './block.js';
import type { ChainState } from './chainstate.js';
import type { Mempool } from './mempool.js';
import { outpointKey, type Tx, wrapTx } from './tx.js';
import { buildTransaction } from './txbuild.js';

/** Coinbase input: the BIP34 height push (which also keeps coinbase txids unique) and a tag. */
function coinbaseScriptSig(height: number, tag: Uint8Array): Uint8Array {
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, height, true);
  let len = 4;
  while (len > 1 && h[len - 1] === 0 && ((h[len - 2] ?? 0) & 0x80) === 0) len--;
  return buildScript([pushData(h.subarray(0, len)), pushData(tag)]);
}

const MINER_TAG = new TextEncoder().encode('/devchain/');

export function coinbaseTx(format: TxFormat, height: number, value: bigint, payout: Uint8Array): Tx {
  const input = {
    prevTxid: '0'.repeat(64),
    vout: 0xffffffff,
    scriptSig: coinbaseScriptSig(height, MINER_TAG),
    sequence: 0xffffffff,
  };
  return wrapTx(buildTransaction(format, [input], [{ value, script: payout }]), format);
}

/**
 * Assembles the next block from the pool: transactions in an order where every parent comes first,
 * fees to the coinbase, which pays `payout` (a P2PK of -pubkey or of the wallet's key, as komodod's
 * miner does).
 */
export function assembleBlock(chain: ChainState, mempool: Mempool, payout: Uint8Array, now: number): Block {
  const { rules } = chain;
  const height = chain.height + 1;
  const included: Tx[] = [];
  const inBlock = new Set<string>();
  let fees = 0n;
  let pending = mempool.list();
  let progressed = true;
  while (pending.length > 0 && progressed) {
    progressed = false;
    const later = [];
    for (const e of pending) {
      const ready = e.t.tx.inputs.every(
        (i) => inBlock.has(i.prevTxid) || chain.coinByKey(outpointKey(i.prevTxid, i.vout)) !== undefined,
      );
      if (ready) {
        included.push(e.t);
        inBlock.add(e.t.txid);
        fees += e.fee;
        progressed = true;
      } else {
        later.push(e);
      }
    }
    pending = later;
  }
  const value = rules.subsidy(height) + fees;
  const txs = [coinbaseTx(rules.format, height, value, payout), ...included];
  const time = Math.max(now, chain.medianTimePast() + 1, chain.tip.block.header.time + 1);
  return {
    header: {
      version: 4,
      prevHash: chain.tip.hash,
      merkleRoot: computeMerkleRoot(txs),
      time,
      bits: EASIEST_BITS,
      nonce: height,
    },
    txs,
  };
}

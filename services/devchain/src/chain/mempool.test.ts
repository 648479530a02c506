import type { TxFormat } from '@nn/chain-crypto';
import { describe, expect, it } from 'vitest';
import type { BlockEntry } from './chainstate.js';
import { blockOn, coinbaseOf, mine, newChain, SUBSIDY, scriptA, scriptB, spend } from './testkit.js';
import type { Tx } from './tx.js';
import { TxRejected } from './validate.js';

const FEE = 10_000n;

function rejection(fn: () => unknown): TxRejected {
  try {
    fn();
  } catch (err) {
    if (err instanceof TxRejected) return err;
    throw err;
  }
  throw new Error('accepted');
}

/** Output `vout` of `t` as an input description. */
const out = (t: Tx, vout = 0) => {
  const o = t.tx.outputs[vout];
  if (!o) throw new Error('no such output');
  return { txid: t.txid, vout, value: o.value, script: o.script };
};

describe.each<TxFormat>(['komodo-sapling', 'bitcoin'])('Mempool (%s)', (format) => {
  function setup() {
    const { chain, mempool } = newChain(format, 1);
    const blocks = mine(chain, mempool, 3) as [BlockEntry, BlockEntry, BlockEntry];
    return { chain, mempool, blocks };
  }

  it('accepts a valid spend with its fee, and refuses a second spend of the same coin', () => {
    const { mempool, blocks } = setup();
    const pay = spend(format, [coinbaseOf(blocks[0])], [{ value: SUBSIDY - FEE, script: scriptB }]);
    const entry = mempool.accept(pay, 1234);
    expect(entry).toMatchObject({ fee: FEE, time: 1234, height: 3 });
    expect(mempool.spender(coinbaseOf(blocks[0]).txid, 0)).toBe(pay.txid);
    const rival = spend(format, [coinbaseOf(blocks[0])], [{ value: SUBSIDY - 2n * FEE, script: scriptA }]);
    expect(rejection(() => mempool.accept(rival)).reason).toBe('txn-mempool-conflict');
    expect(rejection(() => mempool.accept(pay)).reason).toBe('txn-already-in-mempool');
    expect(mempool.size).toBe(1);
  });

  it('flags missing inputs, and refuses coinbases, overspends and known transactions', () => {
    const { chain, mempool, blocks } = setup();
    const ghost = spend(
      format,
      [{ txid: 'ab'.repeat(32), vout: 0, value: 1000n, script: scriptA }],
      [{ value: 500n, script: scriptB }],
    );
    const missing = rejection(() => mempool.accept(ghost));
    expect(missing.reason).toBe('bad-txns-inputs-missingorspent');
    expect(missing.missingInputs).toBe(true);
    const over = spend(format, [coinbaseOf(blocks[0])], [{ value: SUBSIDY + 1n, script: scriptB }]);
    expect(rejection(() => mempool.accept(over))).toMatchObject({
      reason: 'bad-txns-in-belowout',
      missingInputs: false,
    });
    expect(rejection(() => mempool.accept(blocks[1].block.txs[0] as Tx)).reason).toBe('coinbase');
    const pay = spend(format, [coinbaseOf(blocks[0])], [{ value: SUBSIDY - FEE, script: scriptB }]);
    mempool.accept(pay);
    mine(chain, mempool, 1);
    expect(rejection(() => mempool.accept(pay)).reason).toBe('txn-already-known');
  });

  it('takes chains of unconfirmed transactions, and a block confirms them parent first', () => {
    const { chain, mempool, blocks } = setup();
    const parent = spend(format, [coinbaseOf(blocks[0])], [{ value: SUBSIDY - FEE, script: scriptA }]);
    const child = spend(format, [out(parent)], [{ value: SUBSIDY - 2n * FEE, script: scriptA }]);
    const grandchild = spend(format, [out(child)], [{ value: SUBSIDY - 3n * FEE, script: scriptB }]);
    for (const t of [parent, child, grandchild]) mempool.accept(t);
    expect(mempool.list().map((e) => e.fee)).toEqual([FEE, FEE, FEE]);
    const [block] = mine(chain, mempool, 1) as [BlockEntry];
    expect(block.block.txs.slice(1).map((t) => t.txid)).toEqual([parent.txid, child.txid, grandchild.txid]);
    expect(block.block.txs[0]?.tx.outputs[0]?.value).toBe(SUBSIDY + 3n * FEE);
    expect(mempool.size).toBe(0);
    expect(chain.coin(grandchild.txid, 0)?.value).toBe(SUBSIDY - 3n * FEE);
  });

  it('keeps unconfirmed children when a block confirms their parent', () => {
    const { chain, mempool, blocks } = setup();
    const parent = spend(format, [coinbaseOf(blocks[0])], [{ value: SUBSIDY - FEE, script: scriptA }]);
    const child = spend(format, [out(parent)], [{ value: SUBSIDY - 2n * FEE, script: scriptB }]);
    mempool.accept(parent);
    mempool.accept(child);
    expect(
      chain.addBlock(blockOn(chain, chain.tip, [parent], { fees: FEE }), { verifyScripts: true }).status,
    ).toBe('active');
    expect(mempool.has(parent.txid)).toBe(false);
    expect(mempool.has(child.txid)).toBe(true);
    expect(mempool.get(child.txid)?.fee).toBe(FEE);
  });

  it('drops a transaction and its descendants when a block spends the same coin', () => {
    const { chain, mempool, blocks } = setup();
    const parent = spend(format, [coinbaseOf(blocks[0])], [{ value: SUBSIDY - FEE, script: scriptA }]);
    const child = spend(format, [out(parent)], [{ value: SUBSIDY - 2n * FEE, script: scriptB }]);
    const unrelated = spend(format, [coinbaseOf(blocks[1])], [{ value: SUBSIDY - FEE, script: scriptB }]);
    for (const t of [parent, child, unrelated]) mempool.accept(t);
    const rival = spend(format, [coinbaseOf(blocks[0])], [{ value: SUBSIDY - 5n * FEE, script: scriptB }]);
    expect(
      chain.addBlock(blockOn(chain, chain.tip, [rival], { fees: 5n * FEE }), { verifyScripts: true }).status,
    ).toBe('active');
    expect(mempool.list().map((e) => e.t.txid)).toEqual([unrelated.txid]);
    expect(mempool.spender(parent.txid, 0)).toBeUndefined();
  });

  it('re-adds the transactions of disconnected blocks on a reorg', () => {
    const { chain, mempool, blocks } = setup();
    const pay = spend(format, [coinbaseOf(blocks[0])], [{ value: SUBSIDY - FEE, script: scriptB }]);
    mempool.accept(pay);
    const [c4] = mine(chain, mempool, 1) as [BlockEntry];
    expect(mempool.size).toBe(0);
    const b4 = chain.addBlock(blockOn(chain, blocks[2], [], { payout: scriptB }), { verifyScripts: true });
    expect(b4.status).toBe('side');
    const b5 = chain.addBlock(blockOn(chain, (b4 as { entry: BlockEntry }).entry, [], { payout: scriptB }), {
      verifyScripts: true,
    });
    expect(b5).toMatchObject({ status: 'active', disconnected: 1 });
    expect(chain.isActive(c4)).toBe(false);
    expect(mempool.has(pay.txid)).toBe(true);
    // And it gets mined again on the new chain.
    const [b6] = mine(chain, mempool, 1) as [BlockEntry];
    expect(b6.block.txs.map((t) => t.txid)).toContain(pay.txid);
  });

  it('drops pool transactions whose coins a reorg removed, so the miner keeps making valid blocks', () => {
    const { chain, mempool, blocks } = setup();
    // Spends the coinbase of block 3, which the reorg below takes away.
    const doomed = spend(format, [coinbaseOf(blocks[2])], [{ value: SUBSIDY - FEE, script: scriptA }]);
    const doomedChild = spend(format, [out(doomed)], [{ value: SUBSIDY - 2n * FEE, script: scriptA }]);
    const survivor = spend(format, [coinbaseOf(blocks[0])], [{ value: SUBSIDY - FEE, script: scriptB }]);
    for (const t of [doomed, doomedChild, survivor]) mempool.accept(t);
    const r3 = chain.addBlock(blockOn(chain, blocks[1], [], { payout: scriptB }), { verifyScripts: true });
    const r4 = chain.addBlock(blockOn(chain, (r3 as { entry: BlockEntry }).entry, [], { payout: scriptB }), {
      verifyScripts: true,
    });
    expect(r4).toMatchObject({ status: 'active', disconnected: 1 });
    expect(mempool.list().map((e) => e.t.txid)).toEqual([survivor.txid]);
    expect(mempool.spender(doomed.txid, 0)).toBeUndefined();
    const [next] = mine(chain, mempool, 1) as [BlockEntry];
    expect(next.block.txs.map((t) => t.txid).slice(1)).toEqual([survivor.txid]);
  });
});

import type { TxFormat } from '@nn/chain-crypto';
import { describe, expect, it } from 'vitest';
import { type Block, blockHash } from './block.js';
import { type BlockEntry, ChainState } from './chainstate.js';
import { genesisBlock } from './genesis.js';
import {
  blockOn,
  coinbaseOf,
  mine,
  newChain,
  SUBSIDY,
  scriptA,
  scriptB,
  spend,
  tamper,
  testRules,
  utxoSnapshot,
} from './testkit.js';

const FEE = 10_000n;

function add(chain: ChainState, block: Block) {
  return chain.addBlock(block, { verifyScripts: true });
}

function entryOf(chain: ChainState, block: Block): BlockEntry {
  const r = add(chain, block);
  if (r.status !== 'active' && r.status !== 'side') throw new Error(`unexpected ${r.status}`);
  return r.entry;
}

function recordEvents(chain: ChainState): string[] {
  const events: string[] = [];
  chain.listen({
    connected: (e) => events.push(`+${e.height}:${e.hash.slice(0, 8)}`),
    disconnected: (e) => events.push(`-${e.height}:${e.hash.slice(0, 8)}`),
    reorganized: () => events.push('reorg'),
  });
  return events;
}

describe.each<TxFormat>(['komodo-sapling', 'bitcoin'])('ChainState (%s)', (format) => {
  it('starts at the genesis block, whose coinbase is indexed but not spendable', () => {
    const { chain } = newChain(format);
    expect(chain.height).toBe(0);
    expect(chain.utxoCount).toBe(0);
    const cb = chain.genesis.block.txs[0];
    expect(cb && chain.locateTx(cb.txid)?.entry).toBe(chain.genesis);
    // Every instance of the same rules builds the same genesis.
    expect(new ChainState(testRules(format), genesisBlock(testRules(format))).genesis.hash).toBe(
      chain.genesis.hash,
    );
  });

  it('mines blocks, spends a matured coinbase and indexes the transaction', () => {
    const { chain, mempool } = newChain(format, 3);
    const [b1] = mine(chain, mempool, 2);
    const cb1 = coinbaseOf(b1 as BlockEntry);
    const payment = spend(
      format,
      [cb1],
      [
        { value: 20n * 100_000_000n, script: scriptB },
        { value: SUBSIDY - 20n * 100_000_000n - FEE, script: scriptA },
      ],
    );
    // Spend height 3: only two blocks on top of block 1, maturity is 3.
    expect(() => mempool.accept(payment)).toThrow('bad-txns-premature-spend-of-coinbase');
    mine(chain, mempool, 1);
    mempool.accept(payment);
    const [b4] = mine(chain, mempool, 1) as [BlockEntry];
    expect(chain.height).toBe(4);
    expect(b4.block.txs.map((t) => t.txid)).toEqual([b4.block.txs[0]?.txid, payment.txid]);
    expect(b4.block.txs[0]?.tx.outputs[0]?.value).toBe(SUBSIDY + FEE);
    expect(chain.coin(cb1.txid, 0)).toBeUndefined();
    expect(chain.coin(payment.txid, 0)).toMatchObject({
      value: 20n * 100_000_000n,
      height: 4,
      coinbase: false,
    });
    expect(chain.coin(payment.txid, 1)?.value).toBe(SUBSIDY - 20n * 100_000_000n - FEE);
    expect(chain.locateTx(payment.txid)).toEqual({ entry: b4, index: 1 });
    expect(chain.utxoCount).toBe(3 + 2 + 1 - 1);
    expect(mempool.size).toBe(0);
  });

  it('rejects a block spending an immature coinbase and changes nothing', () => {
    const { chain, mempool } = newChain(format, 3);
    const [b1] = mine(chain, mempool, 2) as [BlockEntry];
    const before = utxoSnapshot(chain);
    const early = spend(format, [coinbaseOf(b1)], [{ value: SUBSIDY - FEE, script: scriptB }]);
    const block = blockOn(chain, chain.tip, [early], { fees: FEE });
    expect(add(chain, block)).toEqual({ status: 'invalid', reason: 'bad-txns-premature-spend-of-coinbase' });
    expect(chain.height).toBe(2);
    expect(utxoSnapshot(chain)).toEqual(before);
    expect(chain.locateTx(early.txid)).toBeUndefined();
    // Known-invalid stays invalid; its children are refused as bad-prevblk.
    expect(add(chain, block)).toEqual({ status: 'invalid', reason: 'bad-txns-premature-spend-of-coinbase' });
    const badEntry = chain.byHash(blockHash(block.header, format)) as BlockEntry;
    expect(badEntry.invalid).toBe('bad-txns-premature-spend-of-coinbase');
    expect(add(chain, blockOn(chain, badEntry))).toEqual({ status: 'invalid', reason: 'bad-prevblk' });
    // The coin is spendable one block later.
    mine(chain, mempool, 1);
    expect(add(chain, blockOn(chain, chain.tip, [early], { fees: FEE })).status).toBe('active');
  });

  it('refuses a coinbase paying more than subsidy plus fees (bad-cb-amount)', () => {
    const { chain } = newChain(format);
    const greedy = blockOn(chain, chain.tip, [], { coinbaseValue: SUBSIDY + 1n });
    expect(add(chain, greedy)).toEqual({ status: 'invalid', reason: 'bad-cb-amount' });
    const exact = blockOn(chain, chain.tip, [], { coinbaseValue: SUBSIDY });
    expect(add(chain, exact).status).toBe('active');
  });

  it('refuses structurally broken blocks', () => {
    const { chain } = newChain(format);
    const good = blockOn(chain, chain.tip);
    expect(add(chain, { ...good, header: { ...good.header, merkleRoot: '11'.repeat(32) } })).toEqual({
      status: 'invalid',
      reason: 'bad-txnmrklroot',
    });
    expect(add(chain, { ...good, txs: [] })).toEqual({ status: 'invalid', reason: 'bad-cb-missing' });
    expect(chain.height).toBe(0);
  });

  it('reports duplicates, orphans and equal-height side blocks', () => {
    const { chain, mempool } = newChain(format);
    const [b1] = mine(chain, mempool, 1) as [BlockEntry];
    expect(add(chain, b1.block)).toEqual({ status: 'duplicate', entry: b1 });
    const orphan = {
      ...blockOn(chain, b1),
      header: { ...blockOn(chain, b1).header, prevHash: 'ab'.repeat(32) },
    };
    expect(add(chain, orphan)).toEqual({ status: 'orphan' });
    const rival = blockOn(chain, chain.genesis, [], { payout: scriptB });
    const r = add(chain, rival);
    expect(r.status).toBe('side');
    // First seen stays active on a tie.
    expect(chain.tip).toBe(b1);
    expect(chain.knownBlocks).toBe(3);
  });

  it('reorganises to a longer branch: listeners in order, UTXO set and txindex of the new branch', () => {
    const { chain, mempool } = newChain(format, 1);
    const [a1] = mine(chain, mempool, 2) as [BlockEntry, BlockEntry];
    const pay = spend(format, [coinbaseOf(a1)], [{ value: SUBSIDY - FEE, script: scriptB }]);
    mempool.accept(pay);
    const [a3] = mine(chain, mempool, 1) as [BlockEntry];
    expect(chain.locateTx(pay.txid)?.entry).toBe(a3);
    const events = recordEvents(chain);

    const b2 = entryOf(chain, blockOn(chain, a1, [], { payout: scriptB }));
    const b3 = entryOf(chain, blockOn(chain, b2, [], { payout: scriptB }));
    expect(chain.tip).toBe(a3);
    const b4block = blockOn(chain, b3, [], { payout: scriptB });
    const r = add(chain, b4block);
    expect(r).toMatchObject({ status: 'active', disconnected: 2 });
    const b4 = chain.tip;
    const short = (e: BlockEntry) => e.hash.slice(0, 8);
    const a2 = a3.prev as BlockEntry;
    expect(events).toEqual([
      `-3:${short(a3)}`,
      `-2:${short(a2)}`,
      `+2:${short(b2)}`,
      `+3:${short(b3)}`,
      `+4:${short(b4)}`,
      'reorg',
    ]);
    // The UTXO set is exactly what genesis, a1, b2..b4 imply, built from scratch.
    const fresh = new ChainState(chain.rules, genesisBlock(chain.rules));
    for (const e of [a1, b2, b3, b4]) add(fresh, e.block);
    expect(utxoSnapshot(chain)).toEqual(utxoSnapshot(fresh));
    expect(chain.locateTx(a3.block.txs[0]?.txid ?? '')).toBeUndefined();
    expect(chain.locateTx(b3.block.txs[0]?.txid ?? '')?.entry).toBe(b3);
    // The payment from the lost branch is back in the pool, still valid on the new chain.
    expect(mempool.has(pay.txid)).toBe(true);
    expect(chain.isActive(a3)).toBe(false);
    expect(chain.atHeight(2)).toBe(b2);
  });

  it.each([
    ['a bad signature', 'mandatory-script-verify-flag-failed'],
    ['a double spend', 'bad-txns-inputs-missingorspent'],
  ])('rejects a longer branch with %s and restores the old chain exactly', (kind, reason) => {
    const { chain, mempool } = newChain(format, 1);
    const [a1, a2] = mine(chain, mempool, 2) as [BlockEntry, BlockEntry];
    const pay = spend(format, [coinbaseOf(a1)], [{ value: SUBSIDY - FEE, script: scriptB }]);
    mempool.accept(pay);
    mine(chain, mempool, 2);
    const tipBefore = chain.tip;
    const utxosBefore = utxoSnapshot(chain);
    const activeBefore = [0, 1, 2, 3, 4].map((h) => chain.atHeight(h));

    const b3 = entryOf(chain, blockOn(chain, a2, [], { payout: scriptB }));
    const b4 = entryOf(chain, blockOn(chain, b3, [], { payout: scriptB }));
    const cb = coinbaseOf(a2);
    const badTxs =
      kind === 'a bad signature'
        ? [tamper(spend(format, [cb], [{ value: SUBSIDY - FEE, script: scriptB }]), format)]
        : [
            spend(format, [cb], [{ value: SUBSIDY - FEE, script: scriptB }]),
            spend(format, [cb], [{ value: SUBSIDY - 2n * FEE, script: scriptA }]),
          ];
    const b5block = blockOn(chain, b4, badTxs, { fees: FEE * BigInt(badTxs.length), payout: scriptB });
    const events = recordEvents(chain);
    const r = add(chain, b5block);
    expect(r.status).toBe('invalid');
    expect(r.status === 'invalid' && r.reason.startsWith(reason)).toBe(true);
    expect(chain.tip).toBe(tipBefore);
    expect([0, 1, 2, 3, 4].map((h) => chain.atHeight(h))).toEqual(activeBefore);
    expect(utxoSnapshot(chain)).toEqual(utxosBefore);
    expect(chain.locateTx(pay.txid)?.entry).toBe(chain.atHeight(3));
    expect(b3.invalid).toBeUndefined();
    expect(b4.invalid).toBeUndefined();
    const b5 = chain.byHash(blockHash(b5block.header, format)) as BlockEntry;
    expect(b5.invalid).toBe(r.status === 'invalid' ? r.reason : '');
    expect(add(chain, b5block).status).toBe('invalid');
    expect(add(chain, blockOn(chain, b5)).status).toBe('invalid');
    // Old blocks went out and came back, in order.
    expect(events.map((e) => e.split(':')[0])).toEqual([
      '-4',
      '-3',
      '+3',
      '+4',
      '-4',
      '-3',
      '+3',
      '+4',
      'reorg',
    ]);
  });

  it('accepts a bad signature only when scripts are not verified (blocks reloaded from disk)', () => {
    const { chain, mempool } = newChain(format, 1);
    const [a1] = mine(chain, mempool, 1) as [BlockEntry];
    const forged = tamper(
      spend(format, [coinbaseOf(a1)], [{ value: SUBSIDY - FEE, script: scriptB }]),
      format,
    );
    const block = blockOn(chain, a1, [forged], { fees: FEE });
    const other = new ChainState(chain.rules, genesisBlock(chain.rules));
    other.addBlock(a1.block, { verifyScripts: true });
    expect(other.addBlock(block, { verifyScripts: false }).status).toBe('active');
    expect(chain.addBlock(block, { verifyScripts: true }).status).toBe('invalid');
  });
});

import type { BlockEntry, ChainListener, ChainState } from './chainstate.js';
import { isCoinbase, outpointKey, type Tx } from './tx.js';
import { type Coin, checkTxInputs, checkTxStructure, TxRejected } from './validate.js';

export interface MempoolEntry {
  readonly t: Tx;
  readonly fee: bigint;
  readonly time: number;
  readonly height: number;
}

/**
 * Transactions waiting for a block. Accepting one checks it against the active chain plus the pool
 * (so chains of unconfirmed transactions work); blocks remove what they confirm or conflict with,
 * and a disconnected block's transactions come back, as komodod's mempool does on a reorg.
 */
export class Mempool implements ChainListener {
  private readonly entries = new Map<string, MempoolEntry>();
  /** Outpoint → txid of the pool transaction spending it. */
  private readonly spends = new Map<string, string>();

  constructor(private readonly chain: ChainState) {
    chain.listen(this);
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.t.bytes.length;
    return n;
  }

  has(txid: string): boolean {
    return this.entries.has(txid);
  }

  get(txid: string): MempoolEntry | undefined {
    return this.entries.get(txid);
  }

  /** Pool entries in arrival order (parents before children). */
  list(): MempoolEntry[] {
    return [...this.entries.values()];
  }

  spender(txid: string, vout: number): string | undefined {
    return this.spends.get(outpointKey(txid, vout));
  }

  /** A coin from the chain's UTXO set or from a pool transaction's outputs, unless the pool spends it. */
  lookup = (key: string): Coin | undefined => {
    if (this.spends.has(key)) return undefined;
    const fromChain = this.chain.coinByKey(key);
    if (fromChain) return fromChain;
    const [txid, vout] = key.split(':');
    const parent = txid ? this.entries.get(txid) : undefined;
    const out = parent?.t.tx.outputs[Number(vout)];
    return out
      ? { value: out.value, script: out.script, height: this.chain.height + 1, coinbase: false }
      : undefined;
  };

  accept(t: Tx, now = Math.floor(Date.now() / 1000)): MempoolEntry {
    return this.admit(t, now, this.chain.height);
  }

  private admit(t: Tx, time: number, height: number): MempoolEntry {
    checkTxStructure(t);
    if (isCoinbase(t.tx)) throw new TxRejected('coinbase');
    if (this.entries.has(t.txid)) throw new TxRejected('txn-already-in-mempool');
    if (this.chain.locateTx(t.txid)) throw new TxRejected('txn-already-known');
    for (const input of t.tx.inputs) {
      if (this.spends.has(outpointKey(input.prevTxid, input.vout)))
        throw new TxRejected('txn-mempool-conflict');
    }
    const fee = checkTxInputs(t, this.lookup, this.chain.height + 1, this.chain.rules, true);
    const entry: MempoolEntry = { t, fee, time, height };
    this.entries.set(t.txid, entry);
    for (const input of t.tx.inputs) this.spends.set(outpointKey(input.prevTxid, input.vout), t.txid);
    return entry;
  }

  remove(txid: string): void {
    const entry = this.entries.get(txid);
    if (!entry) return;
    this.entries.delete(txid);
    for (const input of entry.t.tx.inputs) this.spends.delete(outpointKey(input.prevTxid, input.vout));
    // Children spend outputs that no longer exist anywhere.
    entry.t.tx.outputs.forEach((_o, vout) => {
      const child = this.spends.get(outpointKey(txid, vout));
      if (child) this.remove(child);
    });
  }

  connected(entry: BlockEntry): void {
    for (const t of entry.block.txs) {
      if (this.entries.has(t.txid)) {
        this.removeKeepingChildren(t.txid);
        continue;
      }
      for (const input of t.tx.inputs) {
        const conflict = this.spends.get(outpointKey(input.prevTxid, input.vout));
        if (conflict) this.remove(conflict);
      }
    }
  }

  disconnected(entry: BlockEntry): void {
    for (const t of entry.block.txs.slice(1)) {
      try {
        this.accept(t);
      } catch {
        // A transaction that no longer fits the shorter chain is dropped, as komodod does.
      }
    }
  }

  /**
   * After a reorg every pool transaction is checked again against the new chain, as komodod's
   * removeForReorg does: one whose inputs are gone (e.g. a coinbase of a disconnected block) or
   * that now spends an immature coinbase leaves the pool, with its descendants.
   */
  reorganized(): void {
    let pending = [...this.entries.values()];
    this.entries.clear();
    this.spends.clear();
    let progressed = true;
    while (pending.length > 0 && progressed) {
      progressed = false;
      const later: MempoolEntry[] = [];
      for (const e of pending) {
        try {
          this.admit(e.t, e.time, e.height);
          progressed = true;
        } catch (err) {
          // A parent may come later in the list (disconnected blocks re-add newest first): retry.
          if (err instanceof TxRejected && err.missingInputs) later.push(e);
        }
      }
      pending = later;
    }
  }

  /** A confirmed transaction leaves the pool; its unconfirmed children now spend chain coins. */
  private removeKeepingChildren(txid: string): void {
    const entry = this.entries.get(txid);
    if (!entry) return;
    this.entries.delete(txid);
    for (const input of entry.t.tx.inputs) this.spends.delete(outpointKey(input.prevTxid, input.vout));
  }
}

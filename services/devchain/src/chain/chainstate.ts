import { type Block, blockHash, computeMerkleRoot, serializeBlock } from './block.js';
import type { ChainRules } from './rules.js';
import { isCoinbase, outpointKey, type Tx } from './tx.js';
import { type Coin, checkTxInputs, checkTxStructure, TxRejected } from './validate.js';

export interface BlockEntry {
  readonly hash: string;
  readonly height: number;
  readonly block: Block;
  readonly size: number;
  readonly prev: BlockEntry | undefined;
  /** Order of arrival: on equal height the first-seen chain stays active, as in komodod. */
  readonly seq: number;
  invalid?: string;
}

export interface TxLocation {
  readonly entry: BlockEntry;
  readonly index: number;
}

/** Told about every block the active chain gains or loses, in order. */
export interface ChainListener {
  connected?(entry: BlockEntry): void;
  disconnected?(entry: BlockEntry): void;
  /** After a reorganisation has settled (the new tip is in place); not called for plain extensions. */
  reorganized?(): void;
}

export type AddBlockResult =
  | { status: 'active'; entry: BlockEntry; disconnected: number }
  | { status: 'side'; entry: BlockEntry }
  | { status: 'duplicate'; entry: BlockEntry }
  | { status: 'orphan' }
  | { status: 'invalid'; reason: string };

type UndoOp = { kind: 'added'; key: string } | { kind: 'spent'; key: string; coin: Coin };

/**
 * Every block devchain knows, the active (longest) chain, its UTXO set and transaction index.
 * A longer branch replaces the active one (disconnecting back to the fork with per-block undo data,
 * then connecting the branch); a branch that fails validation is marked invalid and the old chain
 * is restored.
 */
export class ChainState {
  private readonly entries = new Map<string, BlockEntry>();
  private readonly activeChain: BlockEntry[] = [];
  private readonly utxos = new Map<string, Coin>();
  private readonly undo = new Map<string, UndoOp[]>();
  private readonly txIndex = new Map<string, TxLocation>();
  private readonly listeners: ChainListener[] = [];
  private seq = 0;

  constructor(
    readonly rules: ChainRules,
    genesis: Block,
  ) {
    const hash = blockHash(genesis.header, rules.format);
    const entry: BlockEntry = {
      hash,
      height: 0,
      block: genesis,
      size: serializeBlock(genesis, rules.format).length,
      prev: undefined,
      seq: this.seq++,
    };
    this.entries.set(hash, entry);
    // The genesis coinbase is not spendable, as in Bitcoin and komodod: it joins no UTXO set.
    this.activeChain.push(entry);
    this.txIndex.set(genesis.txs[0]?.txid ?? '', { entry, index: 0 });
  }

  listen(listener: ChainListener): void {
    this.listeners.push(listener);
  }

  unlisten(listener: ChainListener): void {
    const i = this.listeners.indexOf(listener);
    if (i !== -1) this.listeners.splice(i, 1);
  }

  get tip(): BlockEntry {
    return this.activeChain[this.activeChain.length - 1] as BlockEntry;
  }

  get height(): number {
    return this.activeChain.length - 1;
  }

  get genesis(): BlockEntry {
    return this.activeChain[0] as BlockEntry;
  }

  get knownBlocks(): number {
    return this.entries.size;
  }

  atHeight(height: number): BlockEntry | undefined {
    return this.activeChain[height];
  }

  byHash(hash: string): BlockEntry | undefined {
    return this.entries.get(hash);
  }

  isActive(entry: BlockEntry): boolean {
    return this.activeChain[entry.height] === entry;
  }

  coin(txid: string, vout: number): Coin | undefined {
    return this.utxos.get(outpointKey(txid, vout));
  }

  coinByKey(key: string): Coin | undefined {
    return this.utxos.get(key);
  }

  *allCoins(): IterableIterator<[string, Coin]> {
    yield* this.utxos.entries();
  }

  get utxoCount(): number {
    return this.utxos.size;
  }

  locateTx(txid: string): TxLocation | undefined {
    return this.txIndex.get(txid);
  }

  /** Median of the last eleven block times (GetMedianTimePast). */
  medianTimePast(entry: BlockEntry = this.tip): number {
    const times: number[] = [];
    for (let e: BlockEntry | undefined = entry; e && times.length < 11; e = e.prev)
      times.push(e.block.header.time);
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? 0;
  }

  addBlock(block: Block, opts: { verifyScripts: boolean }): AddBlockResult {
    const format = this.rules.format;
    const hash = blockHash(block.header, format);
    const known = this.entries.get(hash);
    if (known)
      return known.invalid
        ? { status: 'invalid', reason: known.invalid }
        : { status: 'duplicate', entry: known };
    const prev = this.entries.get(block.header.prevHash);
    if (!prev) return { status: 'orphan' };
    if (prev.invalid) return { status: 'invalid', reason: 'bad-prevblk' };
    const structural = checkBlockStructure(block);
    if (structural) return { status: 'invalid', reason: structural };
    const entry: BlockEntry = {
      hash,
      height: prev.height + 1,
      block,
      size: serializeBlock(block, format).length,
      prev,
      seq: this.seq++,
    };
    this.entries.set(hash, entry);
    if (entry.height <= this.height) return { status: 'side', entry };
    return this.activate(entry, opts.verifyScripts);
  }

  private activate(target: BlockEntry, verifyScripts: boolean): AddBlockResult {
    const branch: BlockEntry[] = [];
    let fork: BlockEntry | undefined = target;
    while (fork && !this.isActive(fork)) {
      branch.unshift(fork);
      fork = fork.prev;
    }
    if (!fork) return { status: 'invalid', reason: 'unknown-fork' };
    const detached: BlockEntry[] = [];
    while (this.tip !== fork) detached.unshift(this.disconnectTip());
    for (let i = 0; i < branch.length; i++) {
      const entry = branch[i] as BlockEntry;
      const failure = this.connect(entry, verifyScripts);
      if (failure) {
        for (const bad of branch.slice(i)) bad.invalid = failure;
        // Blocks are activated as soon as a branch is longer, so the valid part of this branch is never
        // longer than the old chain: the old chain comes back (first seen wins a tie).
        while (this.tip !== fork) this.disconnectTip();
        // The old branch was valid when it was active, so reconnecting it cannot fail.
        for (const e of detached) this.connect(e, false);
        if (detached.length > 0) this.notifyReorganized();
        return { status: 'invalid', reason: failure };
      }
    }
    if (detached.length > 0) this.notifyReorganized();
    return { status: 'active', entry: target, disconnected: detached.length };
  }

  private notifyReorganized(): void {
    for (const l of this.listeners) l.reorganized?.();
  }

  /** Applies a block to the UTXO set; returns a reject reason, changing nothing, when it is invalid. */
  private connect(entry: BlockEntry, verifyScripts: boolean): string | undefined {
    const ops: UndoOp[] = [];
    const { txs } = entry.block;
    let fees = 0n;
    try {
      for (const [index, t] of txs.entries()) {
        if (index > 0) {
          fees += checkTxInputs(t, (k) => this.utxos.get(k), entry.height, this.rules, verifyScripts);
          for (const input of t.tx.inputs) {
            const key = outpointKey(input.prevTxid, input.vout);
            const coin = this.utxos.get(key) as Coin;
            this.utxos.delete(key);
            ops.push({ kind: 'spent', key, coin });
          }
        }
        t.tx.outputs.forEach((out, vout) => {
          const key = outpointKey(t.txid, vout);
          this.utxos.set(key, {
            value: out.value,
            script: out.script,
            height: entry.height,
            coinbase: index === 0,
          });
          ops.push({ kind: 'added', key });
        });
      }
      const coinbase = txs[0] as Tx;
      const minted = coinbase.tx.outputs.reduce((sum, o) => sum + o.value, 0n);
      const allowed = this.rules.subsidy(entry.height) + fees;
      if (minted > allowed) throw new TxRejected('bad-cb-amount');
    } catch (err) {
      this.revert(ops);
      if (err instanceof TxRejected) return err.reason;
      throw err;
    }
    this.undo.set(entry.hash, ops);
    this.activeChain.push(entry);
    txs.forEach((t, index) => {
      if (!this.txIndex.has(t.txid)) this.txIndex.set(t.txid, { entry, index });
    });
    for (const l of this.listeners) l.connected?.(entry);
    return undefined;
  }

  private disconnectTip(): BlockEntry {
    const entry = this.tip;
    const ops = this.undo.get(entry.hash) ?? [];
    this.revert(ops);
    this.undo.delete(entry.hash);
    this.activeChain.pop();
    for (const t of entry.block.txs) {
      if (this.txIndex.get(t.txid)?.entry === entry) this.txIndex.delete(t.txid);
    }
    for (const l of this.listeners) l.disconnected?.(entry);
    return entry;
  }

  private revert(ops: UndoOp[]): void {
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i] as UndoOp;
      if (op.kind === 'added') this.utxos.delete(op.key);
      else this.utxos.set(op.key, op.coin);
    }
  }
}

/** CheckBlock's context-free part: a coinbase first and only first, a matching merkle root. */
function checkBlockStructure(block: Block): string | undefined {
  const [first, ...rest] = block.txs;
  if (!first || !isCoinbase(first.tx)) return 'bad-cb-missing';
  if (rest.some((t) => isCoinbase(t.tx))) return 'bad-cb-multiple';
  if (computeMerkleRoot(block.txs) !== block.header.merkleRoot) return 'bad-txnmrklroot';
  const ids = new Set(block.txs.map((t) => t.txid));
  if (ids.size !== block.txs.length) return 'bad-txns-duplicate';
  try {
    for (const t of block.txs) checkTxStructure(t);
  } catch (err) {
    if (err instanceof TxRejected) return err.reason;
    throw err;
  }
  return undefined;
}

import { decodeNotarisationData } from '@nn/komodo-params';
import type { BlockEntry, ChainListener, ChainState } from '../chain/chainstate.js';
import type { Tx } from '../chain/tx.js';
import type { NotarisationState } from '../node/context.js';
import {
  isRatified,
  type NotaryList,
  notaryIndexOfScript,
  notaryList,
  opReturnPayload,
} from './notarisation-rules.js';

const ZERO_HASH = '0'.repeat(64);

/** komodod's komodo_state notarisation fields: NOTARIZED_HEIGHT/HASH/DESTTXID, MoM, MoMdepth. */
export interface TrackedNotarisation extends NotarisationState {
  /** The newest non-zero MoM seen (komodod's sp->MoM never goes back to zero once set). */
  readonly mom: string;
  readonly momDepth: number;
}

export const NO_NOTARISATION: TrackedNotarisation = {
  height: 0,
  hash: ZERO_HASH,
  desttxid: ZERO_HASH,
  prevMoMheight: 0,
  mom: ZERO_HASH,
  momDepth: 0,
};

export interface NotarisationTrackerOptions {
  /** The elected notaries' compressed pubkeys (hex), in index order. */
  readonly notaries: readonly string[];
  /** This chain's symbol as notarisations name it: the ac_name, or "KMD". */
  readonly symbol: string;
  readonly isAssetchain: boolean;
  /**
   * komodod v0.9.2 after its sunset: true for a block past it, whose notarisations no longer count, so
   * `notarized` stays where dPoW left it. Absent: dPoW never ends (Season 8 komodod, kmdclassicd).
   */
  readonly dpowEnded?: (entry: BlockEntry) => boolean;
}

/**
 * Follows the active chain and keeps this chain's notarisation state as komodod's
 * komodo_connectblock / komodo_voutupdate do: a transaction whose inputs spend enough elected
 * notaries' outputs, with vout 1 an OP_RETURN in the back-tx form naming this chain, moves the state
 * when it notarises a block of this chain below the one it is in and above the last notarised height.
 * A disconnected block's change is undone (komodod leaves it; see docs/devchain.md).
 */
export class NotarisationTracker implements ChainListener {
  private current: TrackedNotarisation = NO_NOTARISATION;
  /** The state before each block that changed it, newest last; blocks disconnect newest first. */
  private readonly undo: Array<{ hash: string; before: TrackedNotarisation }> = [];
  private readonly list: NotaryList;

  constructor(
    private readonly chain: ChainState,
    private readonly opts: NotarisationTrackerOptions,
  ) {
    this.list = notaryList(opts.notaries);
  }

  get state(): TrackedNotarisation {
    return this.current;
  }

  connected(entry: BlockEntry): void {
    if (this.opts.dpowEnded?.(entry)) return;
    const before = this.current;
    for (const t of entry.block.txs) this.scanTx(t, entry);
    if (this.current !== before) this.undo.push({ hash: entry.hash, before });
  }

  disconnected(entry: BlockEntry): void {
    const last = this.undo[this.undo.length - 1];
    if (last?.hash !== entry.hash) return;
    this.undo.pop();
    this.current = last.before;
  }

  /** Notaries whose outputs the inputs spend, looked up through the txindex (gettxout_scriptPubKey). */
  private signedMask(t: Tx): bigint {
    let mask = 0n;
    for (const input of t.tx.inputs) {
      const loc = this.chain.locateTx(input.prevTxid);
      const prev = loc?.entry.block.txs[loc.index];
      const out = prev?.tx.outputs[input.vout];
      if (!out) continue; // also the coinbase input: its null prevout is in no index
      const k = notaryIndexOfScript(out.script, this.list);
      if (k >= 0) mask |= 1n << BigInt(k);
    }
    return mask;
  }

  private scanTx(t: Tx, entry: BlockEntry): void {
    const vout1 = t.tx.outputs[1];
    if (!vout1) return;
    const payload = opReturnPayload(vout1.script);
    if (!payload) return;
    // komodod reads an assetchain OP_RETURN starting with 'K' as a key-value record and stops there,
    // even when it is a notarisation whose block hash happens to begin (internal order) with 0x4b.
    if (this.opts.isAssetchain && payload[0] === 0x4b) return;
    const ratified = isRatified({
      signedmask: this.signedMask(t),
      height: entry.height,
      numNotaries: this.list.pubkeys.length,
      isAssetchain: this.opts.isAssetchain,
    });
    if (!ratified) return;
    const data = decodeNotarisationData(payload, this.opts.symbol);
    // Only the back-tx form naming this chain ("matched") carries a desttxid and can move the state.
    if (!data || data.destTxid === undefined || data.symbol !== this.opts.symbol) return;
    // komodo_validate_chain: the notarised block must be this chain's block at that height.
    if (data.height < 0 || this.chain.atHeight(data.height)?.hash !== data.srcHash) return;
    // komodod's own bounds; with the active-chain hash check above, `>= entry.height` cannot pass anyway.
    if (data.height <= this.current.height || data.height >= entry.height) return;
    let { mom, momDepth } = this.current;
    const depth = (data.momDepth ?? 0) & 0xffff;
    if (data.mom !== undefined && data.mom !== ZERO_HASH && depth > 0 && depth <= data.height) {
      mom = data.mom;
      momDepth = data.momDepth ?? 0;
    }
    this.current = {
      height: data.height,
      hash: data.srcHash,
      desttxid: data.destTxid,
      // komodo_prevMoMheight: the newest checkpoint recorded with a non-zero (sticky) MoM.
      prevMoMheight: mom !== ZERO_HASH ? data.height : this.current.prevMoMheight,
      mom,
      momDepth,
    };
  }
}

import type { BlockEntry, ChainState } from '../chain/chainstate.js';
import {
  AUTO_CHECKPOINT_DEPTH,
  type CheckpointEra,
  isPast,
  LOCKTIME_THRESHOLD,
} from '../node/checkpoint-era.js';

const ZERO_HASH = '0'.repeat(64);

/**
 * komodod v0.9.2's view of dPoW and of its sync checkpoints, computed from the active chain. devchain
 * plays the checkpoint server too: once checkpoints are active, the checkpoint is the block
 * AUTO_CHECKPOINT_DEPTH below the tip (the tip itself below height 11), as AutoSelectSyncCheckpoint
 * picks it and the master key's node sends it with every block (docs/devchain.md).
 */
export class SyncCheckpoints {
  constructor(
    private readonly chain: ChainState,
    private readonly era: CheckpointEra,
  ) {}

  /** IsSunsettingActive on the tip: KMD by height, the rest by block time (or -devsunset's kind). */
  get dpowActive(): boolean {
    const tip = this.chain.tip;
    return !isPast(this.era.sunsetAt, tip.height, tip.block.header.time);
  }

  /** Whether a block is past the sunset (its notarisations no longer count). */
  endsDpow(entry: BlockEntry): boolean {
    return isPast(this.era.sunsetAt, entry.height, entry.block.header.time);
  }

  get active(): boolean {
    const c = this.era.checkpoints;
    const tip = this.chain.tip;
    return c !== undefined && isPast(c.activeAt, tip.height, tip.block.header.time);
  }

  /** The last sync checkpoint, or undefined while none is active (getcheckpoint's null hash). */
  get last(): BlockEntry | undefined {
    if (!this.active) return undefined;
    const tip = this.chain.tip;
    if (tip.height < AUTO_CHECKPOINT_DEPTH + 1) return tip;
    return this.chain.atHeight(tip.height - AUTO_CHECKPOINT_DEPTH);
  }

  /** getcheckpoint (rpc/misc.cpp): the checkpoint hash, and its height when the block is known. */
  getcheckpoint(): Record<string, unknown> {
    const last = this.last;
    return last ? { checkpoint: last.hash, height: last.height } : { checkpoint: ZERO_HASH };
  }

  /** getblockchaininfo's syncCheckpoint, present while checkpoints are active. */
  syncCheckpoint(): Record<string, unknown> | undefined {
    if (!this.active) return undefined;
    const last = this.last;
    return last ? { height: last.height, blockHash: last.hash } : {};
  }

  /** getblockchaininfo's syncCheckpointUpgrade, in v0.9.2's field order and types. */
  syncCheckpointUpgrade(): Record<string, unknown> {
    // dpow_active is a string, "true" or "false", in v0.9.2 (blockchain.cpp pushes a char*).
    const out: Record<string, unknown> = { dpow_active: this.dpowActive ? 'true' : 'false' };
    const c = this.era.checkpoints;
    out.sync_checkpoint_active = this.active;
    out.sync_checkpoint_expected = c !== undefined;
    if (!c) return out;
    if (c.activeAt < LOCKTIME_THRESHOLD) out.activation_height = c.activeAt;
    else {
      out.activation_timestamp = c.activeAt;
      out.activation_timestamp_utc = utcText(c.activeAt);
    }
    out.masterpubKey = c.masterPubKey;
    if (this.active) out.init = true;
    return out;
  }

  /** secured_by_checkpoint of a wallet transaction in a block at `height` (undefined: unconfirmed). */
  secures(height: number | undefined): 'yes' | 'no' {
    const last = this.last;
    return last !== undefined && height !== undefined && height < last.height ? 'yes' : 'no';
  }
}

/** DateTimeStrFormat("%Y-%m-%d %H:%M:%S", t) in UTC. */
function utcText(t: number): string {
  return new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

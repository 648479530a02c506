import { describe, expect, it } from 'vitest';
import { mine, newChain } from '../chain/testkit.js';
import { CHECKPOINT_MASTER_PUBKEY, checkpointEra } from '../node/checkpoint-era.js';
import { SyncCheckpoints } from './sync-checkpoint.js';

const ZERO = '0'.repeat(64);

// Shapes from GLEECBTC/komodo-daemon v0.9.2-2 (ae588a9): rpc/misc.cpp getcheckpoint, rpc/blockchain.cpp
// getblockchaininfo (syncCheckpoint, syncCheckpointUpgrade), Gulden/auto_checkpoints.cpp.
describe('SyncCheckpoints', () => {
  it('KMD before and after a sunset at height 20: dpow_active as a string, checkpoints 10 below the tip', () => {
    const { chain, mempool } = newChain('komodo-sapling');
    const era = checkpointEra('0.9.2-2', 'KMD', 'main', 20);
    if (!era) throw new Error('no era');
    const cp = new SyncCheckpoints(chain, era);
    mine(chain, mempool, 20);
    expect(cp.dpowActive).toBe(true);
    expect(cp.getcheckpoint()).toEqual({ checkpoint: ZERO });
    expect(cp.syncCheckpoint()).toBeUndefined();
    const before = cp.syncCheckpointUpgrade();
    expect(before).toEqual({
      dpow_active: 'true',
      sync_checkpoint_active: false,
      sync_checkpoint_expected: true,
      activation_height: 20,
      masterpubKey: CHECKPOINT_MASTER_PUBKEY,
    });
    expect(Object.keys(before)).toEqual([
      'dpow_active',
      'sync_checkpoint_active',
      'sync_checkpoint_expected',
      'activation_height',
      'masterpubKey',
    ]);
    expect(cp.secures(3)).toBe('no');

    mine(chain, mempool, 5);
    const at15 = chain.atHeight(15);
    expect(cp.dpowActive).toBe(false);
    expect(cp.getcheckpoint()).toEqual({ checkpoint: at15?.hash, height: 15 });
    expect(Object.keys(cp.getcheckpoint())).toEqual(['checkpoint', 'height']);
    expect(cp.syncCheckpoint()).toEqual({ height: 15, blockHash: at15?.hash });
    expect(cp.syncCheckpointUpgrade()).toEqual({
      dpow_active: 'false',
      sync_checkpoint_active: true,
      sync_checkpoint_expected: true,
      activation_height: 20,
      masterpubKey: CHECKPOINT_MASTER_PUBKEY,
      init: true,
    });
    // IsSecuredBySyncCheckpoint: strictly below the checkpoint's height; unconfirmed never.
    expect(cp.secures(14)).toBe('yes');
    expect(cp.secures(15)).toBe('no');
    expect(cp.secures(undefined)).toBe('no');
    expect(cp.endsDpow(chain.tip)).toBe(true);
    expect(cp.endsDpow(chain.atHeight(20) ?? chain.tip)).toBe(false);
  });

  it('an assetchain counts by block time and shows the activation as a timestamp and its UTC text', () => {
    const { chain, mempool } = newChain('komodo-sapling');
    const era = checkpointEra('0.9.2-2', 'CCL', 'main', undefined);
    if (!era) throw new Error('no era');
    mine(chain, mempool, 2);
    const up = new SyncCheckpoints(chain, era).syncCheckpointUpgrade();
    expect(up).toEqual({
      dpow_active: 'true',
      sync_checkpoint_active: false,
      sync_checkpoint_expected: true,
      activation_timestamp: 1767528000,
      activation_timestamp_utc: '2026-01-04 12:00:00',
      masterpubKey: CHECKPOINT_MASTER_PUBKEY,
    });
  });

  it('a chain without checkpoints (PIRATE) says so and nothing more; the tip itself is the checkpoint below height 11', () => {
    const { chain, mempool } = newChain('komodo-sapling');
    const pirate = checkpointEra('0.9.2-2', 'PIRATE', 'main', 1);
    if (!pirate) throw new Error('no era');
    mine(chain, mempool, 3);
    const cp = new SyncCheckpoints(chain, pirate);
    expect(cp.syncCheckpointUpgrade()).toEqual({
      dpow_active: 'false',
      sync_checkpoint_active: false,
      sync_checkpoint_expected: false,
    });
    expect(cp.getcheckpoint()).toEqual({ checkpoint: ZERO });

    const kmd = checkpointEra('0.9.2-2', 'KMD', 'main', 1);
    if (!kmd) throw new Error('no era');
    expect(new SyncCheckpoints(chain, kmd).getcheckpoint()).toEqual({
      checkpoint: chain.tip.hash,
      height: 3,
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  ASSETCHAIN_SUNSET_TIME,
  BCZERO_RAPH_MDX_CHECKPOINT_TIME,
  CHECKPOINT_MASTER_PUBKEY,
  checkpointEra,
  isPast,
  KMD_SUNSET_HEIGHT,
} from './checkpoint-era.js';

// Cases from GLEECBTC/komodo-daemon v0.9.2-2 (ae588a9) komodo_hardfork.cpp and
// Gulden/auto_checkpoints_activation.cpp, and v0.9.2 (e0f463a), where BCZERO/RAPH/MDX were still commented out.
describe('the checkpoint era of komodod v0.9.2', () => {
  it('KMD ends dPoW above height 4771595 and checkpoints from there with the one master key', () => {
    expect(KMD_SUNSET_HEIGHT).toBe(4771595);
    expect(checkpointEra('0.9.2-2', 'KMD', 'main', undefined)).toEqual({
      sunsetAt: 4771595,
      checkpoints: { activeAt: 4771595, masterPubKey: CHECKPOINT_MASTER_PUBKEY },
    });
    expect(CHECKPOINT_MASTER_PUBKEY).toBe(
      '03fdc6ca526c0cfaed2211d03dc2ea9c083aea127c7769d97dc92fed2085803ce3',
    );
    // testnet_params = boost::none: no checkpoints on KMD's testnet.
    expect(checkpointEra('0.9.2-2', 'KMD', 'test', undefined)?.checkpoints).toBeUndefined();
  });

  it('assetchains end at 1767528000; PIRATE, ILN, KOIN get no checkpoints; BCZERO/RAPH/MDX from 0.9.2-1', () => {
    expect(ASSETCHAIN_SUNSET_TIME).toBe(1767528000);
    expect(checkpointEra('0.9.2', 'CCL', 'main', undefined)?.checkpoints?.activeAt).toBe(1767528000);
    for (const c of ['PIRATE', 'ILN', 'KOIN'])
      expect(checkpointEra('0.9.2-2', c, 'main', undefined)).toEqual({
        sunsetAt: 1767528000,
        checkpoints: undefined,
      });
    expect(checkpointEra('0.9.2', 'RAPH', 'main', undefined)?.checkpoints).toBeUndefined();
    expect(checkpointEra('0.9.2-1', 'RAPH', 'main', undefined)?.checkpoints?.activeAt).toBe(
      BCZERO_RAPH_MDX_CHECKPOINT_TIME,
    );
    expect(BCZERO_RAPH_MDX_CHECKPOINT_TIME).toBe(1769526000);
  });

  it('Season 8 komodod has no era; -devsunset moves the sunset and the activation together', () => {
    expect(checkpointEra('0.8.2', 'KMD', 'main', undefined)).toBeUndefined();
    expect(checkpointEra('0.9.2-2', 'MDX', 'main', 30)).toEqual({
      sunsetAt: 30,
      checkpoints: { activeAt: 30, masterPubKey: CHECKPOINT_MASTER_PUBKEY },
    });
  });

  it('compares with > : a height below 500000000, else a block time', () => {
    expect(isPast(4771595, 4771595, 0)).toBe(false);
    expect(isPast(4771595, 4771596, 0)).toBe(true);
    expect(isPast(1767528000, 10, 1767528000)).toBe(false);
    expect(isPast(1767528000, 10, 1767528001)).toBe(true);
  });
});

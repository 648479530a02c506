import { describe, expect, it } from 'vitest';
import type { ChainStatus } from '../contract/index.js';
import { readiness } from './readiness.js';

const ok: ChainStatus = {
  chain: 'KMD',
  flavour: 'komodo',
  rpc: 'ok',
  rpcMessage: null,
  blocks: 100,
  headers: 100,
  synced: true,
  connections: 4,
  notarized: 90,
  notarizedLag: 10,
  balance: 1,
  notaryUtxos: 20,
  walletBytes: 1000,
  version: 1,
  dpowActive: true,
  checkpoint: null,
  at: 0,
};

describe('readiness', () => {
  it('is ready when RPC answers and the chain is caught up', () => {
    expect(readiness(ok, false)).toEqual({ ready: true, reason: null });
    expect(readiness(ok, true)).toEqual({ ready: true, reason: null });
  });

  it('gives the reason while the daemon is unreachable or warming up', () => {
    expect(readiness({ ...ok, rpc: 'unreachable', rpcMessage: 'connection refused' }, false)).toEqual({
      ready: false,
      reason: 'daemon RPC unreachable: connection refused',
    });
    expect(readiness({ ...ok, rpc: 'warmup', rpcMessage: 'Loading block index...' }, false)).toEqual({
      ready: false,
      reason: 'daemon warming up: Loading block index...',
    });
    expect(readiness({ ...ok, rpc: 'unreachable', rpcMessage: null }, false).reason).toBe(
      'daemon RPC unreachable: no answer',
    );
  });

  it('is not ready while syncing, and says how far', () => {
    expect(readiness({ ...ok, synced: false, blocks: 50, headers: 100 }, false)).toEqual({
      ready: false,
      reason: 'syncing: 50 of 100 blocks',
    });
    expect(readiness({ ...ok, synced: false, blocks: null, headers: null }, false).reason).toBe(
      'syncing: ? of ? blocks',
    );
  });

  it('needs a peer only when asked to', () => {
    expect(readiness({ ...ok, connections: 0 }, false).ready).toBe(true);
    expect(readiness({ ...ok, connections: 0 }, true)).toEqual({ ready: false, reason: 'no peers' });
    expect(readiness({ ...ok, connections: null }, true).ready).toBe(false);
  });
});

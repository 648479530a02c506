import type { ChainStatus } from '@nn/chain-sidecar/contract';
import type { IguanaStatus } from '@nn/iguana-sidecar/contract';
import { buildChainSpec } from '@nn/orchestrator-core';
import { afterEach, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../routes.js';
import { liveStatusSchema } from '../schemas.js';
import {
  type ApiHarness,
  apiHarness,
  bearer,
  season8Entries,
  TEST_IMAGE,
  VIEWER_KEY,
} from '../testing/harness.js';

// GET /v1/status serves what the workers' poller stored from the sidecars, read with schemas derived
// from the sidecars' contracts: a whole sidecar reply goes out as the fields nnctl shows, and a reply
// off the contract (which a real sidecar never sends) is no status rather than a wrong one.

let h: ApiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const kmd: ChainStatus = {
  chain: 'KMD',
  flavour: 'komodo',
  rpc: 'ok',
  rpcMessage: null,
  blocks: 500,
  headers: 500,
  synced: true,
  connections: 3,
  notarized: 490,
  notarizedLag: 10,
  balance: 12.5,
  notaryUtxos: 7,
  walletBytes: 4096,
  version: 3_010_050,
  dpowActive: true,
  checkpoint: null,
  at: 1_700_000_000_000,
};
const iguana: IguanaStatus = {
  iguana: {
    port: 7776,
    up: true,
    sequenceDone: true,
    lastSequenceAt: 1,
    restartsDetected: 0,
    lastError: null,
  },
  coins: [
    {
      name: 'KMD',
      kind: 'kmd',
      role: 'source',
      runtime: false,
      registered: true,
      dpowActive: true,
      bridgePort: 7771,
      chain: 'ok',
      blocks: 500,
      lastNotarisedHeight: 490,
      lastNotarisedTime: 1_700_000_000,
      secondsSinceNotarisation: 60,
      notaryUtxos: 7,
      status: 'active',
      lastError: null,
    },
  ],
  removed: [],
};

async function live() {
  const res = await h?.app.inject({
    method: 'GET',
    url: API_ROUTES.liveStatus.path,
    headers: bearer(VIEWER_KEY),
  });
  expect(res?.statusCode).toBe(200);
  return liveStatusSchema.parse(res?.json());
}

describe('GET /v1/status (live)', () => {
  it('serves the sidecars’ stored replies as the fields nnctl shows (chains, kmd, ltc, iguana)', async () => {
    h = await apiHarness();
    const spec = buildChainSpec({ entry: season8Entries()[0] }, { image: TEST_IMAGE });
    await h.state.chains.create(spec);
    await h.state.live.put({ base: 'kmd' }, kmd, 60_000);
    await h.state.live.put({ chain: spec.id }, { ...kmd, chain: spec.identity.acName, blocks: 120 }, 60_000);
    await h.state.live.put({ base: 'iguana' }, iguana, 60_000);
    // The destination's sidecar is a chain sidecar too (litecoind: no notarisations of its own).
    const ltc: ChainStatus = {
      ...kmd,
      chain: 'LTC',
      flavour: 'bitcoin',
      blocks: 2_000,
      headers: 2_000,
      notarized: null,
      notarizedLag: null,
      balance: 3.25,
      walletBytes: 1_200_000,
      version: 210_200,
      dpowActive: null,
    };
    await h.state.live.put({ base: 'ltc' }, ltc, 60_000);
    const body = await live();
    const shown = {
      blocks: 500,
      headers: 500,
      synced: true,
      connections: 3,
      notarized: 490,
      notarizedLag: 10,
      balance: 12.5,
      notaryUtxos: 7,
      walletBytes: 4096,
      dpowActive: true,
      checkpoint: null,
      rpc: 'ok',
      at: kmd.at,
    };
    expect(body.kmd).toEqual(shown);
    expect(body.chains[spec.id]).toEqual({ ...shown, blocks: 120 });
    expect(body.ltc).toEqual({
      ...shown,
      blocks: 2_000,
      headers: 2_000,
      notarized: null,
      notarizedLag: null,
      balance: 3.25,
      walletBytes: 1_200_000,
      dpowActive: null,
    });
    expect(body.iguana).toEqual({
      coins: [
        {
          name: 'KMD',
          registered: true,
          status: 'active',
          lastNotarisedHeight: 490,
          lastNotarisedTime: 1_700_000_000,
        },
      ],
    });
  });

  it('a stored status off the contract is no status (an rpc state, a size or an activity the sidecars never send)', async () => {
    h = await apiHarness();
    await h.state.live.put({ base: 'kmd' }, { ...kmd, rpc: 'fine' }, 60_000);
    await h.state.live.put({ base: 'iguana' }, { coins: [{ name: 'KMD', status: 'great' }] }, 60_000);
    // Nothing from the destination yet (or a node without one): null, not a row of zeros.
    expect((await live()).ltc).toBeNull();
    await h.state.live.put({ base: 'ltc' }, { ...kmd, flavour: 'bitcoin', walletBytes: '12 MB' }, 60_000);
    const body = await live();
    expect(body.kmd).toBeNull();
    expect(body.ltc).toBeNull();
    expect(body.iguana).toBeNull();
  });
});

import type { AssetchainCoinInput, CoinStatus, ErrorBody, IguanaStatus } from '@nn/iguana-sidecar/contract';
import { PermanentError, TransientError } from '@nn/orchestrator-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IguanaClient } from './iguana-client.js';
import { SidecarReplyError } from './reply-error.js';
import { type ReplyServer, startReplyServer } from './testing/reply-server.js';

let server: ReplyServer;
let client: IguanaClient;
beforeAll(async () => {
  server = await startReplyServer();
  client = new IguanaClient(server.url, 'operator-token', 5_000);
});
afterAll(() => server.close());

const coin: CoinStatus = {
  name: 'CCL',
  kind: 'assetchain',
  role: 'source',
  runtime: true,
  registered: true,
  dpowActive: true,
  bridgePort: 20849,
  chain: 'ok',
  blocks: 120,
  lastNotarisedHeight: 110,
  lastNotarisedTime: 1_700_000_000,
  secondsSinceNotarisation: 60,
  notaryUtxos: 3,
  status: 'active',
  lastError: null,
};
const status: IguanaStatus = {
  iguana: {
    port: 7776,
    up: true,
    sequenceDone: true,
    lastSequenceAt: 1,
    restartsDetected: 0,
    lastError: null,
  },
  coins: [coin],
  removed: [],
};
const body: AssetchainCoinInput = {
  kind: 'assetchain',
  name: 'CCL',
  upstream: 'http://chain-ccl-sidecar:8080',
  tokenFile: '/data/nn/coins/ccl.token',
  assetchain: { ac_name: 'CCL', ac_supply: '777' },
};
const exists: ErrorBody = { error: 'name: coin CCL exists', field: 'name' };

describe('IguanaClient', () => {
  it('registers a coin: 201 registered, 202 accepted, 409 on the name already there', async () => {
    server.replies = { 'POST /v1/coins': { status: 201, body: { coin, note: null } } };
    expect(await client.addCoin(body)).toBe('registered');
    expect(server.requests.at(-1)).toMatchObject({ auth: 'Bearer operator-token' });
    expect(JSON.parse(server.requests.at(-1)?.body ?? '')).toEqual(body);
    server.replies = { 'POST /v1/coins': { status: 202, body: { coin, note: 'iguana is not ready' } } };
    expect(await client.addCoin(body)).toBe('accepted');
    server.replies = { 'POST /v1/coins': { status: 409, body: exists } };
    expect(await client.addCoin(body)).toBe('exists');
    server.replies = {
      'POST /v1/coins': { status: 409, body: { error: 'rpcPort: taken', field: 'rpcPort' } },
    };
    await expect(client.addCoin(body)).rejects.toThrow(PermanentError);
    server.replies = { 'POST /v1/coins': { status: 503, body: { error: 'iguana unreachable' } } };
    await expect(client.addCoin(body)).rejects.toThrow(TransientError);
  });

  it('reads the coins of /v1/status and keeps the rest of the reply as it came', async () => {
    server.replies = { 'GET /v1/status': { status: 200, body: status } };
    expect(await client.coins()).toEqual([coin]);
    expect(await client.status()).toEqual(status);
  });

  it('a status off the contract is a SidecarReplyError naming the route and the coin field', async () => {
    const { registered: _, ...renamed } = coin;
    server.replies = {
      'GET /v1/status': { status: 200, body: { ...status, coins: [{ ...renamed, isRegistered: true }] } },
    };
    const err = await client.coins().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SidecarReplyError);
    expect(err).toMatchObject({ route: 'GET /v1/status', field: 'coins[0].registered' });
  });

  it('splits and removes by coin name; a coin not there counts as removed', async () => {
    server.replies = {
      'POST /v1/coins/CCL/split': {
        status: 200,
        body: { coin: 'CCL', txid: 'ab'.repeat(32), completed: true, rawtx: '00' },
      },
      'DELETE /v1/coins/CCL': {
        status: 200,
        body: { name: 'CCL', removedAt: 1, pendingIguanaRestart: true, note: '' },
      },
    };
    await client.split('CCL', 20);
    expect(JSON.parse(server.requests.at(-1)?.body ?? '')).toEqual({ duplicates: 20 });
    expect(await client.removeCoin('CCL')).toBe('removed');
    expect(await client.removeCoin('NOPE')).toBe('absent');
  });
});

import type { ChainStatus, GatewayError, JsonRpcReply, Readiness } from '@nn/chain-sidecar/contract';
import { PermanentError, TransientError } from '@nn/orchestrator-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SidecarReplyError } from './reply-error.js';
import { SidecarClient } from './sidecar-client.js';
import { type ReplyServer, startReplyServer } from './testing/reply-server.js';

let server: ReplyServer;
let client: SidecarClient;
beforeAll(async () => {
  server = await startReplyServer();
  client = new SidecarClient(server.url, 5_000);
});
afterAll(() => server.close());

const status: ChainStatus = {
  chain: 'CCL',
  flavour: 'komodo',
  rpc: 'ok',
  rpcMessage: null,
  blocks: 120,
  headers: 120,
  synced: true,
  connections: 2,
  notarized: 110,
  notarizedLag: 10,
  balance: 1.5,
  notaryUtxos: 7,
  walletBytes: null,
  version: 3_010_050,
  dpowActive: true,
  checkpoint: null,
  at: 1_700_000_000_000,
};
const notReady: Readiness = { ready: false, reason: 'daemon warming up: Loading block index...' };
const rpc = (reply: JsonRpcReply | GatewayError, code = 200) => ({
  'POST /v1/rpc': { status: code, body: reply },
});

describe('SidecarClient', () => {
  it('reads /readyz: ready, the reason while not, and what a non-sidecar answer said', async () => {
    server.replies = { 'GET /readyz': { status: 503, body: notReady } };
    expect(await client.readyz()).toEqual({ ready: false, reason: notReady.reason });
    server.replies = { 'GET /readyz': { status: 200, body: { ready: true, reason: null } } };
    expect(await client.readyz()).toEqual({ ready: true, reason: 'ready' });
    server.replies = { 'GET /readyz': { status: 502, body: 'Bad Gateway' } };
    expect(await client.readyz()).toEqual({ ready: false, reason: 'Bad Gateway' });
  });

  it('reads /v1/status with the viewer token, as the contract has it', async () => {
    server.replies = { 'GET /v1/status': { status: 200, body: status } };
    expect(await client.status('viewer-token')).toEqual(status);
    expect(server.requests.at(-1)?.auth).toBe('Bearer viewer-token');
    server.replies = {
      'GET /v1/status': {
        status: 401,
        body: { result: null, error: { code: -32001, message: 'missing or invalid bearer token' }, id: null },
      },
    };
    await expect(client.status('wrong')).rejects.toThrow(PermanentError);
  });

  it('a reply off the contract is a SidecarReplyError naming the route and the field', async () => {
    // A sidecar that renamed `blocks`, and one whose readiness says "yes" instead of true.
    const { blocks: _, ...renamed } = status;
    server.replies = { 'GET /v1/status': { status: 200, body: { ...renamed, height: 120 } } };
    const err = await client.status('t').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SidecarReplyError);
    expect(err).toMatchObject({ route: 'GET /v1/status', field: 'blocks', retryable: false });
    expect((err as Error).message).toMatch(
      /^GET \/v1\/status: the reply does not match the sidecar's contract: blocks: /,
    );
    server.replies = { 'GET /readyz': { status: 200, body: { ready: 'yes', reason: null } } };
    await expect(client.readyz()).rejects.toMatchObject({ route: 'GET /readyz', field: 'ready' });
    server.replies = { 'GET /v1/status': { status: 200, body: { ...status, rpc: 'fine' } } };
    await expect(client.status('t')).rejects.toMatchObject({ field: 'rpc' });
  });

  it('rpc: the result, -28 and an unreachable daemon as transient, other RPC errors as permanent', async () => {
    server.replies = rpc({ result: 100, error: null, id: 'nn-jobs' });
    expect(await client.rpc<number>('op', 'getblockcount', [])).toBe(100);
    expect(JSON.parse(server.requests.at(-1)?.body ?? '')).toMatchObject({
      method: 'getblockcount',
      params: [],
    });
    server.replies = rpc(
      { result: null, error: { code: -28, message: 'Loading wallet...' }, id: 'nn-jobs' },
      500,
    );
    await expect(client.rpc('op', 'getinfo', [])).rejects.toThrow(TransientError);
    server.replies = rpc(
      { result: null, error: { code: -32002, message: 'daemon unreachable' }, id: null },
      503,
    );
    await expect(client.rpc('op', 'getinfo', [])).rejects.toThrow(TransientError);
    server.replies = rpc(
      { result: null, error: { code: -5, message: 'Invalid private key encoding' }, id: 1 },
      500,
    );
    const err = await client.rpc('op', 'importprivkey', ['UsecretWif', '', false]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toBe('importprivkey: RPC error -5: Invalid private key encoding');
    expect((err as Error).message).not.toContain('UsecretWif');
    // The daemon's HTML 503 while it stops: transient by its status.
    server.replies = { 'POST /v1/rpc': { status: 503, body: '<HTML>Service Unavailable</HTML>' } };
    await expect(client.rpc('op', 'getinfo', [])).rejects.toThrow(TransientError);
    // A JSON object that is no JSON-RPC reply.
    server.replies = { 'POST /v1/rpc': { status: 200, body: { result: 1, error: { text: 'x' } } } };
    await expect(client.rpc('op', 'getinfo', [])).rejects.toMatchObject({
      route: 'POST /v1/rpc getinfo',
      field: 'error.code',
    });
  });

  it('no answer at all is transient, named by the URL without tokens', async () => {
    const gone = new SidecarClient('http://127.0.0.1:1', 2_000);
    const err = await gone.status('secret-token').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:1\/v1\/status: no answer/);
    expect((err as Error).message).not.toContain('secret-token');
  });
});

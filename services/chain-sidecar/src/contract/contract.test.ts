import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@nn/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { TokenStore } from '../api/tokens.js';
import { parseSidecarConfig } from '../config.js';
import { type RunningSidecar, startSidecar } from '../sidecar.js';
import { type FakeNode, startFakeNode } from '../testing/fake-node.js';
import {
  chainStatusSchema,
  GatewayCode,
  gatewayErrorSchema,
  healthSchema,
  readinessSchema,
  rpcReplySchema,
  SIDECAR_ROUTES,
} from './index.js';

// The real server's replies, read with the contract's schemas as the orchestrator reads them: every
// field the schema names is there with its type, and the server sends no field the schema lacks (a
// field renamed on either side fails here as well as in typecheck).
const VIEWER = 'viewer-token-abcdefghijklmnop';
const log = createLogger('test', { level: 'silent' });

let dir: string;
let node: FakeNode;
let sidecar: RunningSidecar | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sidecar-contract-'));
  node = await startFakeNode({ user: 'u', password: 'p-0123456789' });
  const pw = join(dir, 'pw');
  writeFileSync(pw, 'p-0123456789', { mode: 0o600 });
  const cfg = parseSidecarConfig({
    flavour: 'komodo',
    chain: 'KMD',
    listen: '127.0.0.1:0',
    daemon: { url: node.url, user: 'u', passwordFile: pw, datadir: dir },
    tokensFile: '/unused',
    notaryPubkey: `02${'ab'.repeat(32)}`,
  });
  sidecar = await startSidecar(cfg, log, TokenStore.of({ viewer: [VIEWER] }));
});
afterEach(async () => {
  await sidecar?.close();
  sidecar = undefined;
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://${sidecar?.address}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: await res.json() };
}

/** Parses with the schema and checks nothing was stripped: the reply has exactly the schema's fields. */
function exactly<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.parse(body);
  expect(parsed).toEqual(body);
  return parsed;
}

describe('the chain sidecar contract', () => {
  it('/healthz, /readyz and /v1/status replies parse with the contract schemas', async () => {
    const health = await get(SIDECAR_ROUTES.healthz.path);
    expect(health.status).toBe(200);
    exactly(healthSchema, health.body);
    const ready = await get(SIDECAR_ROUTES.readyz.path);
    expect(ready.status).toBe(200);
    expect(exactly(readinessSchema, ready.body)).toEqual({ ready: true, reason: null });
    const status = await get(SIDECAR_ROUTES.status.path, VIEWER);
    expect(status.status).toBe(200);
    expect(exactly(chainStatusSchema, status.body)).toMatchObject({
      chain: 'KMD',
      flavour: 'komodo',
      rpc: 'ok',
      blocks: 100,
      notarized: 90,
      notaryUtxos: 0,
    });
  });

  it('a warming daemon: /readyz 503 with its reason, /v1/status with the warm-up, both in the contract', async () => {
    node.state.warmup = 'Loading block index...';
    const ready = await get(SIDECAR_ROUTES.readyz.path);
    expect(ready.status).toBe(503);
    expect(exactly(readinessSchema, ready.body)).toEqual({
      ready: false,
      reason: 'daemon warming up: Loading block index...',
    });
    const status = await get(SIDECAR_ROUTES.status.path, VIEWER);
    expect(exactly(chainStatusSchema, status.body)).toMatchObject({ rpc: 'warmup', blocks: null });
  });

  it('error replies (401, 404) are gateway errors with the contract codes', async () => {
    const unauthorized = await get(SIDECAR_ROUTES.status.path);
    expect(unauthorized.status).toBe(401);
    expect(exactly(gatewayErrorSchema, unauthorized.body).error.code).toBe(GatewayCode.UNAUTHORIZED);
    const missing = await get('/v1/nothing');
    expect(missing.status).toBe(404);
    expect(exactly(gatewayErrorSchema, missing.body).error.code).toBe(GatewayCode.NOT_FOUND);
  });

  it('/v1/rpc passes the daemon reply through in JSON-RPC shape', async () => {
    const res = await fetch(`http://${sidecar?.address}${SIDECAR_ROUTES.rpc.path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${VIEWER}`, 'content-type': 'application/json' },
      body: '{"method":"getblockcount","params":[],"id":1}',
    });
    expect(exactly(rpcReplySchema, await res.json())).toEqual({ result: 100, error: null, id: 1 });
  });
});

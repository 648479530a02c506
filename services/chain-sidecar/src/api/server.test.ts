import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@nn/shared';
import { freePort } from '@nn/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSidecarConfig } from '../config.js';
import { type RunningSidecar, startSidecar } from '../sidecar.js';
import { type FakeNode, startFakeNode } from '../testing/fake-node.js';
import { TokenStore } from './tokens.js';

// The HTTP API over a reference-following fake node: status codes and JSON error shapes of the
// gateway, and that a refused request never reaches the daemon.
const VIEWER = 'viewer-token-abcdefghijklmnop';
const OPERATOR = 'operator-token-abcdefghijklmnop';
const log = createLogger('test', { level: 'silent' });

let dir: string;
let node: FakeNode;
let sidecar: RunningSidecar | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sidecar-api-'));
  node = await startFakeNode({ user: 'u', password: 'p-0123456789' });
});
afterEach(async () => {
  await sidecar?.close();
  sidecar = undefined;
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(extra: Record<string, unknown> = {}): Promise<string> {
  const pw = join(dir, 'pw');
  writeFileSync(pw, 'p-0123456789', { mode: 0o600 });
  const cfg = parseSidecarConfig({
    flavour: 'komodo',
    chain: 'KMD',
    listen: '127.0.0.1:0',
    daemon: { url: node.url, user: 'u', passwordFile: pw },
    tokensFile: '/unused',
    maxBodyBytes: 2048,
    ...extra,
  });
  sidecar = await startSidecar(cfg, log, TokenStore.of({ viewer: [VIEWER], operator: [OPERATOR] }));
  return `http://${sidecar.address}`;
}

/** A raw POST with full control of headers (fetch always adds a content-type for a string body). */
function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/rpc`,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('sidecar API', () => {
  it('listens on the port it was given 0 for and reports the real address', async () => {
    const url = await start();
    expect(sidecar?.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(sidecar?.address).not.toBe('127.0.0.1:0');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('forwards a request whatever its content-type, or none (curl and komodod send different ones)', async () => {
    const url = await start();
    const auth = { authorization: `Bearer ${VIEWER}` };
    for (const ct of [undefined, 'application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
      const r = await post(
        url,
        '{"method":"getblockcount","params":[],"id":1}',
        ct ? { ...auth, 'content-type': ct } : auth,
      );
      expect(r.status, String(ct)).toBe(200);
      expect(JSON.parse(r.text), String(ct)).toEqual({ result: 100, error: null, id: 1 });
    }
  });

  it('passes the daemon reply through unchanged (status, 8-decimal amounts, trailing newline)', async () => {
    const url = await start();
    const r = await post(url, '{"method":"getbalance","id":"x"}', {
      authorization: `Bearer ${VIEWER}`,
      'content-type': 'application/json',
    });
    expect(r).toEqual({ status: 200, text: '{"result":12.50000000,"error":null,"id":"x"}\n' });
    const unknown = await post(url, '{"method":"getblock","params":[1],"id":2}', {
      authorization: `Bearer ${VIEWER}`,
      'content-type': 'application/json',
    });
    // The fake has no getblock: the daemon's own 404 -32601 comes back.
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error).toEqual({ code: -32601, message: 'Method not found' });
  });

  it('refuses a repeated method key (the daemon would run the first one) before the daemon sees it', async () => {
    const url = await start();
    const before = node.requests;
    const r = await post(url, '{"method":"dumpprivkey","method":"getinfo","params":["R"]}', {
      authorization: `Bearer ${OPERATOR}`,
      'content-type': 'application/json',
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).error.message).toBe("duplicate key 'method' in a request");
    expect(node.requests).toBe(before);
  });

  it('answers an oversized body with 413 in JSON, and the daemon never sees it', async () => {
    const url = await start();
    const before = node.requests;
    const big = JSON.stringify({ method: 'getinfo', params: ['x'.repeat(4096)] });
    const r = await post(url, big, { authorization: `Bearer ${VIEWER}`, 'content-type': 'application/json' });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text)).toEqual({
      result: null,
      error: { code: -32600, message: 'request body exceeds 2048 bytes' },
      id: null,
    });
    expect(node.requests).toBe(before);
  });

  it('answers 429 with the rate-limit error code once a token is over its budget', async () => {
    const url = await start({ rateLimitPerMinute: 2 });
    const h = { authorization: `Bearer ${VIEWER}`, 'content-type': 'application/json' };
    const body = '{"method":"getblockcount","id":1}';
    expect((await post(url, body, h)).status).toBe(200);
    expect((await post(url, body, h)).status).toBe(200);
    const before = node.requests;
    const r = await post(url, body, h);
    expect(r.status).toBe(429);
    expect(JSON.parse(r.text)).toEqual({
      result: null,
      error: { code: -32004, message: 'rate limit exceeded' },
      id: null,
    });
    expect(node.requests).toBe(before);
  });

  it('answers 503 with a JSON error while the daemon is down', async () => {
    const url = await start();
    await node.close();
    const r = await post(url, '{"method":"getblockcount","id":3}', {
      authorization: `Bearer ${VIEWER}`,
      'content-type': 'application/json',
    });
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text)).toEqual({
      result: null,
      error: { code: -32002, message: 'daemon unreachable: connection refused' },
      id: 3,
    });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const url = await start();
    const r = await fetch(`${url}/v1/nothing`);
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: { code: number } }).error.code).toBe(-32601);
  });

  it('closes its bridges when the API cannot listen', async () => {
    const first = await start();
    const taken = first.slice(first.lastIndexOf(':') + 1);
    const bridgePort = await freePort();
    const pw = join(dir, 'pw');
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, VIEWER, { mode: 0o600 });
    const cfg = parseSidecarConfig({
      flavour: 'komodo',
      chain: 'AC',
      listen: `127.0.0.1:${taken}`,
      daemon: { url: node.url, user: 'u', passwordFile: pw },
      tokensFile: '/unused',
      bridges: [{ name: 'KMD', port: bridgePort, confPath: join(dir, 'k.conf'), upstream: first, tokenFile }],
    });
    await expect(startSidecar(cfg, log, TokenStore.of({ viewer: [VIEWER] }))).rejects.toThrow(/EADDRINUSE/);
    // The bridge's port is free again: nothing was left listening.
    await new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(bridgePort, '127.0.0.1', () => s.close(() => resolve()));
    });
  });
});

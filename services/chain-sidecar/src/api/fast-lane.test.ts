import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@nn/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSidecarConfig } from '../config.js';
import { type RunningSidecar, startSidecar } from '../sidecar.js';
import { type FakeNode, startFakeNode } from '../testing/fake-node.js';
import { VIEWER_METHODS } from './allowlist.js';
import { TokenStore } from './tokens.js';

// POST /v1/rpc's fast lane (fast-lane.ts) over real sockets and a reference-following fake node: the
// checks on every request of a keep-alive connection, pipelining, hostile batches and heads, and the
// hand-over of a connection to node:http at its first request of another kind.
const VIEWER = 'viewer-token-abcdefghijklmnop';
const OPERATOR = 'operator-token-abcdefghijklmnop';
const log = createLogger('test', { level: 'silent' });

let dir: string;
let node: FakeNode;
let sidecar: RunningSidecar | undefined;
const sockets: Socket[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sidecar-lane-'));
  node = await startFakeNode({ user: 'u', password: 'p-0123456789' });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await sidecar?.close();
  sidecar = undefined;
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(extra: Record<string, unknown> = {}): Promise<{ host: string; port: number }> {
  const pw = join(dir, 'pw');
  writeFileSync(pw, 'p-0123456789', { mode: 0o600 });
  const cfg = parseSidecarConfig({
    flavour: 'komodo',
    chain: 'KMD',
    listen: '127.0.0.1:0',
    daemon: { url: node.url, user: 'u', passwordFile: pw },
    tokensFile: '/unused',
    maxBodyBytes: 16384,
    ...extra,
  });
  sidecar = await startSidecar(cfg, log, TokenStore.of({ viewer: [VIEWER], operator: [OPERATOR] }));
  const sep = sidecar.address.lastIndexOf(':');
  return { host: sidecar.address.slice(0, sep), port: Number(sidecar.address.slice(sep + 1)) };
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw client on one socket: writes bytes as given, reads replies framed by Content-Length. */
class RawClient {
  private buf = '';
  private waiters: Array<() => void> = [];
  closed = false;

  constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buf += d;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
  }

  static async open(at: { host: string; port: number }): Promise<RawClient> {
    const s = connect(at.port, at.host);
    sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
    return new RawClient(s);
  }

  write(text: string): void {
    this.socket.write(text, 'latin1');
  }

  async read(): Promise<Reply> {
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end >= 0) {
        const lines = this.buf.slice(0, end).split('\r\n');
        const headers: Record<string, string> = {};
        for (const l of lines.slice(1)) {
          const c = l.indexOf(':');
          headers[l.slice(0, c).toLowerCase()] = l.slice(c + 1).trim();
        }
        const status = Number(lines[0]?.split(' ')[1]);
        // 1xx has no body; node:http's 400 for a head it cannot parse has no length and closes.
        const declared = headers['content-length'];
        const length =
          status < 200
            ? 0
            : declared !== undefined
              ? Number(declared)
              : this.closed
                ? this.buf.length - end - 4
                : -1;
        if (length >= 0 && this.buf.length >= end + 4 + length) {
          const body = this.buf.slice(end + 4, end + 4 + length);
          this.buf = this.buf.slice(end + 4 + length);
          return { status, headers, body };
        }
      }
      if (this.closed)
        throw new Error(`connection closed; unread: ${JSON.stringify(this.buf.slice(0, 200))}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  async closedByServer(): Promise<boolean> {
    while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
    return true;
  }
}

const rpc = (body: string, token = VIEWER, extra = '') =>
  `POST /v1/rpc HTTP/1.1\r\nHost: sidecar\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('the RPC fast lane', () => {
  it('answers many requests on one keep-alive connection, pipelined ones in order', async () => {
    const c = await RawClient.open(await start());
    c.write(rpc('{"method":"getblockcount","id":1}'));
    expect(await c.read()).toMatchObject({ status: 200, body: '{"result":100,"error":null,"id":1}\n' });
    // Three requests in one write: three replies, in order, on the same socket.
    c.write([2, 3, 4].map((id) => rpc(`{"method":"getblockcount","id":${id}}`)).join(''));
    for (const id of [2, 3, 4]) expect(JSON.parse((await c.read()).body).id).toBe(id);
    // One request written a byte at a time.
    const slow = rpc('{"method":"getbalance","id":"s"}');
    for (const ch of slow) c.write(ch);
    expect((await c.read()).body).toBe('{"result":12.50000000,"error":null,"id":"s"}\n');
    expect(c.closed).toBe(false);
  });

  it('answers 500 pipelined requests in order to a client that reads late', async () => {
    const c = await RawClient.open(await start({ maxBodyBytes: 2048 }));
    c.socket.pause();
    c.write(Array.from({ length: 500 }, (_, id) => rpc(`{"method":"getblockcount","id":${id}}`)).join(''));
    await new Promise((r) => setTimeout(r, 300));
    c.socket.resume();
    for (let id = 0; id < 500; id++) {
      const r = await c.read();
      expect([r.status, JSON.parse(r.body).id]).toEqual([200, id]);
    }
  });

  it('refuses a batch of 100 with one disallowed method, and the daemon sees none of it', async () => {
    const c = await RawClient.open(await start());
    const allowed = [...VIEWER_METHODS];
    for (const [bad, token, message] of [
      ['dumpprivkey', OPERATOR, "method 'dumpprivkey' is never allowed through the sidecar"],
      ['sendtoaddress', VIEWER, "method 'sendtoaddress' needs the operator role (this token is a viewer)"],
      ['z_sendmany', OPERATOR, "method 'z_sendmany' is not on the sidecar's allowlist"],
    ] as const) {
      for (const at of [0, 57, 99]) {
        const batch = Array.from({ length: 100 }, (_, i) => ({
          method: i === at ? bad : allowed[i % allowed.length],
          params: [],
          id: i,
        }));
        const before = node.requests;
        c.write(rpc(JSON.stringify(batch), token));
        const r = await c.read();
        expect(r.status, `${bad} at ${at}`).toBe(403);
        expect(JSON.parse(r.body)).toEqual({ result: null, error: { code: -32003, message }, id: at });
        expect(node.requests).toBe(before);
      }
    }
    // The connection stays usable, and an all-allowed batch of 100 goes through whole.
    const ok = Array.from({ length: 100 }, (_, i) => ({ method: 'getblockcount', id: i }));
    c.write(rpc(JSON.stringify(ok)));
    const r = await c.read();
    expect(r.status).toBe(200);
    expect((JSON.parse(r.body) as unknown[]).length).toBe(100);
  });

  it('answers a bad or missing token with 401 and keeps reading the connection past its body', async () => {
    const c = await RawClient.open(await start());
    const before = node.requests;
    c.write(rpc('{"method":"getblockcount","id":1}', 'not-a-token-0123456789'));
    c.write(
      'POST /v1/rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 33\r\n\r\n{"method":"getblockcount","id":1}',
    );
    for (let i = 0; i < 2; i++) {
      const r = await c.read();
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body).error).toEqual({ code: -32001, message: 'missing or invalid bearer token' });
    }
    expect(node.requests).toBe(before);
    c.write(rpc('{"method":"getblockcount","id":2}'));
    expect((await c.read()).status).toBe(200);
    // A refusal to a client that asked to close: answered, then closed.
    c.write(rpc('{"method":"getblockcount","id":3}', 'not-a-token-0123456789', 'Connection: close\r\n'));
    const last = await c.read();
    expect([last.status, last.headers.connection]).toEqual([401, 'close']);
    expect(await c.closedByServer()).toBe(true);
  });

  it('answers an oversized body with 413 and closes, before the body is read or forwarded', async () => {
    const c = await RawClient.open(await start({ maxBodyBytes: 2048 }));
    const before = node.requests;
    // The head alone declares too much: the answer comes without the body being sent at all.
    c.write(
      `POST /v1/rpc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${VIEWER}\r\nContent-Length: 4096\r\n\r\n`,
    );
    const r = await c.read();
    expect(r.status).toBe(413);
    expect(r.headers.connection).toBe('close');
    expect(JSON.parse(r.body).error).toEqual({ code: -32600, message: 'request body exceeds 2048 bytes' });
    expect(await c.closedByServer()).toBe(true);
    expect(node.requests).toBe(before);
  });

  it('answers 429 once the token is over its budget, on the same connection', async () => {
    const c = await RawClient.open(await start({ rateLimitPerMinute: 3 }));
    for (let i = 0; i < 3; i++) {
      c.write(rpc(`{"method":"getblockcount","id":${i}}`));
      expect((await c.read()).status).toBe(200);
    }
    const before = node.requests;
    c.write(rpc('{"method":"getblockcount","id":9}'));
    const r = await c.read();
    expect(r.status).toBe(429);
    expect(JSON.parse(r.body).error).toEqual({ code: -32004, message: 'rate limit exceeded' });
    expect(node.requests).toBe(before);
  });

  it('hands a connection to node:http at its first request of another kind, with every unread byte', async () => {
    const c = await RawClient.open(await start());
    c.write(rpc('{"method":"getblockcount","id":1}'));
    expect((await c.read()).status).toBe(200);
    // A GET and an RPC call pipelined behind it: node:http takes both (the RPC one through handleRpc).
    c.write(`GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n${rpc('{"method":"getblockcount","id":2}')}`);
    const health = await c.read();
    expect(health).toMatchObject({ status: 200 });
    expect(JSON.parse(health.body)).toEqual({ ok: true });
    expect(JSON.parse((await c.read()).body)).toEqual({ result: 100, error: null, id: 2 });
    // The same checks on the node:http side of the connection.
    c.write(rpc('{"method":"dumpwallet","params":["/tmp/x"],"id":3}', OPERATOR));
    expect((await c.read()).status).toBe(403);
  });

  it('leaves unusual heads to node:http: chunked bodies, Expect, HTTP/1.0, a bad header line', async () => {
    const at = await start();
    const chunked = await RawClient.open(at);
    const body = '{"method":"getblockcount","id":"c"}';
    chunked.write(
      `POST /v1/rpc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${VIEWER}\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    );
    expect(JSON.parse((await chunked.read()).body)).toEqual({ result: 100, error: null, id: 'c' });

    const expect100 = await RawClient.open(at);
    expect100.write(
      `POST /v1/rpc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${VIEWER}\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    expect((await expect100.read()).status).toBe(100);
    expect100.write(body);
    expect((await expect100.read()).status).toBe(200);

    const old = await RawClient.open(at);
    old.write(rpc(body).replace('HTTP/1.1', 'HTTP/1.0'));
    expect((await old.read()).status).toBe(200);

    const before = node.requests;
    const bad = await RawClient.open(at);
    bad.write(rpc(body, VIEWER, 'Bad Header: x\r\n'));
    expect((await bad.read()).status).toBe(400);
    const smuggle = await RawClient.open(at);
    smuggle.write(rpc(body, VIEWER, `Content-Length: ${body.length}\r\n`));
    expect((await smuggle.read()).status).toBe(400);
    expect(node.requests).toBe(before);
  });

  it('closes after a reply when the client asks, and answers a daemon that is down with 503', async () => {
    const c = await RawClient.open(await start());
    c.write(rpc('{"method":"getblockcount","id":1}', VIEWER, 'Connection: close\r\n'));
    const r = await c.read();
    expect(r.status).toBe(200);
    expect(r.headers.connection).toBe('close');
    expect(await c.closedByServer()).toBe(true);
    await node.close();
    const d = await RawClient.open({ host: '127.0.0.1', port: Number(sidecar?.address.split(':')[1]) });
    d.write(rpc('{"method":"getblockcount","id":3}'));
    const down = await d.read();
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body).error).toEqual({
      code: -32002,
      message: 'daemon unreachable: connection refused',
    });
  });

  it('lets the sidecar close promptly while a client holds an idle keep-alive connection', async () => {
    const c = await RawClient.open(await start());
    c.write(rpc('{"method":"getblockcount","id":1}'));
    expect((await c.read()).status).toBe(200);
    await sidecar?.close();
    sidecar = undefined;
    expect(await c.closedByServer()).toBe(true);
  });
});

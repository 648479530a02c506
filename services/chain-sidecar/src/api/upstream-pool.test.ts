import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError, UpstreamPool } from './upstream-pool.js';

// The pass-through's daemon connections against a scripted HTTP server on a real socket: every
// framing a daemon may use, keep-alive reuse, and the failures the gateway turns into 503.
let server: Server | undefined;
let pool: UpstreamPool | undefined;
const accepted: Socket[] = [];

afterEach(async () => {
  await pool?.close();
  for (const s of accepted.splice(0)) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
  pool = undefined;
});

/** A server that answers each complete request (framed by Content-Length) with `reply(n, socket)`. */
async function serve(reply: (n: number, socket: Socket, request: string) => void): Promise<number> {
  let n = 0;
  server = createServer((socket) => {
    accepted.push(socket);
    let buf = '';
    socket.setEncoding('latin1');
    socket.on('error', () => undefined);
    socket.on('data', (d: string) => {
      buf += d;
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const request = buf.slice(0, end + 4 + length);
        buf = buf.slice(end + 4 + length);
        reply(n++, socket, request);
      }
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  if (!a || typeof a === 'string') throw new Error('no address');
  return a.port;
}

const HEAD = (len: number) =>
  `POST / HTTP/1.1\r\nHost: d\r\nAuthorization: Basic dTpw\r\nContent-Type: application/json\r\nContent-Length: ${len}\r\n\r\n`;
const BODY = Buffer.from('{"method":"getblockcount","id":1}');
const post = () => pool?.post(HEAD(BODY.length), BODY, 2_000) ?? Promise.reject(new Error('no pool'));

describe('UpstreamPool', () => {
  it('sends head and body as given and reuses one keep-alive connection', async () => {
    const seen: string[] = [];
    const port = await serve((n, s, request) => {
      seen.push(request);
      const body = `{"result":${n},"error":null,"id":1}\n`;
      s.write(
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
    });
    pool = new UpstreamPool('127.0.0.1', port);
    for (let i = 0; i < 3; i++) {
      const r = await post();
      expect(r.status).toBe(200);
      expect(r.contentType).toBe('application/json');
      expect(r.body.toString()).toBe(`{"result":${i},"error":null,"id":1}\n`);
    }
    expect(seen[0]).toBe(HEAD(BODY.length) + BODY.toString());
    expect(accepted.length).toBe(1);
  });

  it('reads chunked replies (trailers too), a reply split byte by byte, and 100 Continue before one', async () => {
    const port = await serve((n, s) => {
      if (n === 0) {
        s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"res\r\n');
        setTimeout(() => s.write('a;ext=1\r\nult":true}\r\n0\r\n\r\n'), 20);
      } else if (n === 1) {
        s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-T: 1\r\n\r\n');
      } else if (n === 2) {
        const text = 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnull';
        let i = 0;
        const tick = () => {
          s.write(text[i] ?? '');
          if (++i < text.length) setTimeout(tick, 1);
        };
        tick();
      } else {
        s.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]');
      }
    });
    pool = new UpstreamPool('127.0.0.1', port);
    expect((await post()).body.toString()).toBe('{"result":true}');
    expect((await post()).body.toString()).toBe('{}');
    expect((await post()).body.toString()).toBe('null');
    const last = await post();
    expect([last.status, last.body.toString()]).toEqual([200, '[]']);
    expect(accepted.length).toBe(1);
  });

  it('reads a reply framed by the close, and a 401 with no body, then opens a new connection', async () => {
    const port = await serve((n, s) => {
      if (n === 0) s.end('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"result":1}');
      else
        s.write(
          'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="jsonrpc"\r\nContent-Length: 0\r\n\r\n',
        );
    });
    pool = new UpstreamPool('127.0.0.1', port);
    expect((await post()).body.toString()).toBe('{"result":1}');
    const r = await post();
    expect([r.status, r.body.length]).toEqual([401, 0]);
    expect(accepted.length).toBe(2);
  });

  it('opens a new connection after the daemon closed an idle one, and after Connection: close', async () => {
    const port = await serve((n, s) => {
      s.write(`HTTP/1.1 200 OK\r\nContent-Length: 1\r\n${n === 1 ? 'Connection: close\r\n' : ''}\r\n${n}`);
      if (n === 0) setTimeout(() => s.destroy(), 10);
      if (n === 1) s.end();
    });
    pool = new UpstreamPool('127.0.0.1', port);
    expect((await post()).body.toString()).toBe('0');
    await new Promise((r) => setTimeout(r, 100));
    expect((await post()).body.toString()).toBe('1');
    expect((await post()).body.toString()).toBe('2');
    expect(accepted.length).toBe(3);
  });

  it('fails with a named code: refused, reset mid-reply, no answer in time, not HTTP', async () => {
    const closed = await serve(() => undefined);
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    pool = new UpstreamPool('127.0.0.1', closed);
    await expect(post()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await pool.close();

    const port = await serve((n, s) => {
      if (n === 0) {
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"res');
        setTimeout(() => s.destroy(), 10);
      } else if (n === 2) s.write('SSH-2.0-OpenSSH\r\n\r\n');
      // n === 1: never answers
    });
    pool = new UpstreamPool('127.0.0.1', port);
    await expect(post()).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(pool.post(HEAD(BODY.length), BODY, 200)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    const notHttp = await post().catch((e: unknown) => e);
    expect(notHttp).toBeInstanceOf(UpstreamError);
    expect(notHttp).toMatchObject({ code: 'EPROTO' });
  });
});

import { connect, type Socket } from 'node:net';

/** A reply from the daemon's HTTP server: status, content type and the body bytes as sent. */
export interface UpstreamReply {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

/** No HTTP answer: `code` as node:net names it (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ...). */
export class UpstreamError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

const CRLF2 = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

interface Pending {
  resolve(r: UpstreamReply): void;
  reject(e: Error): void;
}

/**
 * How one reply is framed, read from its head: Content-Length, chunked, or until the daemon closes
 * (HTTP/1.0 style). komodod's and bitcoind's libevent server send Content-Length; the other two are
 * read for any server that does not.
 */
type Framing = { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };

/** One keep-alive connection to the daemon, one request at a time. */
class Conn {
  readonly socket: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;
  private head: { status: number; contentType: string | undefined; reuse: boolean } | undefined;
  private framing: Framing | undefined;
  private parts: Buffer[] = [];
  private chunkLeft = -1;
  dead = false;

  constructor(
    host: string,
    port: number,
    private readonly onIdle: (c: Conn) => void,
    private readonly onGone: (c: Conn) => void,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (d: Buffer) => {
      try {
        this.onData(d);
      } catch (err) {
        // A reply this reader cannot follow fails its call and its connection, never the process.
        this.fail('EPROTO', err instanceof Error ? err.message : String(err));
      }
    });
    this.socket.on('error', (err: NodeJS.ErrnoException) => this.fail(err.code ?? 'ECONNRESET', err.message));
    this.socket.on('close', () => {
      if (this.pending && this.framing?.kind === 'close') return this.done(false);
      this.fail('ECONNRESET', 'the daemon closed the connection');
    });
    this.socket.on('timeout', () => {
      if (this.pending) this.fail('ETIMEDOUT', 'the daemon did not answer in time');
      else this.socket.destroy();
    });
  }

  /** When it last went idle: the pool lets go of connections idle too long instead of reusing them. */
  idleSince = 0;
  private timeoutMs = -1;

  send(head: string, body: Buffer, timeoutMs: number, p: Pending): void {
    this.pending = p;
    // The timer is refreshed by every read and write; set again only when the time-out changes.
    if (timeoutMs !== this.timeoutMs) {
      this.timeoutMs = timeoutMs;
      this.socket.setTimeout(timeoutMs);
    }
    // One write, so head and body leave in one segment.
    const bytes = Buffer.allocUnsafe(head.length + body.length);
    bytes.write(head, 0, 'latin1');
    body.copy(bytes, head.length);
    this.socket.write(bytes);
  }

  private fail(code: string, message: string): void {
    const p = this.pending;
    this.pending = undefined;
    this.gone();
    p?.reject(new UpstreamError(code, message));
  }

  private gone(): void {
    if (this.dead) return;
    this.dead = true;
    this.socket.destroy();
    this.onGone(this);
  }

  private onData(d: Buffer): void {
    // Bytes nobody asked for: this connection is not trusted again.
    if (!this.pending) {
      this.gone();
      return;
    }
    this.buf = this.buf.length > 0 ? Buffer.concat([this.buf, d]) : d;
    if (!this.head && !this.readHead()) return;
    if (this.framing?.kind === 'length') {
      const take = this.buf.subarray(0, this.framing.left);
      this.parts.push(take);
      this.framing.left -= take.length;
      this.buf = this.buf.subarray(take.length);
      if (this.framing.left === 0) this.done(this.head?.reuse === true && this.buf.length === 0);
    } else if (this.framing?.kind === 'chunked') {
      this.readChunks();
    } else {
      this.parts.push(this.buf);
      this.buf = Buffer.alloc(0);
    }
  }

  /** Parses the status line and headers once they are complete; false while they are not. */
  private readHead(): boolean {
    const end = this.buf.indexOf(CRLF2);
    if (end < 0) {
      if (this.buf.length > MAX_HEAD) this.fail('EPROTO', 'the daemon sent an oversized HTTP head');
      return false;
    }
    const lines = this.buf.toString('latin1', 0, end).split('\r\n');
    this.buf = this.buf.subarray(end + 4);
    const m = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
    if (!m) {
      this.fail('EPROTO', 'the daemon sent no HTTP status line');
      return false;
    }
    const status = Number(m[2]);
    if (status >= 100 && status < 200) return this.buf.length > 0 ? this.readHead() : false; // 100 Continue
    let length: number | undefined;
    let chunked = false;
    let contentType: string | undefined;
    let reuse = m[1] === '1';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked');
      else if (name === 'content-type') contentType = value;
      else if (name === 'connection') reuse = !/close/i.test(value) && (reuse || /keep-alive/i.test(value));
    }
    this.head = { status, contentType, reuse };
    if (chunked) this.framing = { kind: 'chunked' };
    else if (length !== undefined && Number.isSafeInteger(length) && length >= 0)
      this.framing = { kind: 'length', left: length };
    else this.framing = { kind: 'close' };
    if (this.framing.kind === 'length' && this.framing.left === 0) {
      this.done(reuse && this.buf.length === 0);
      return false;
    }
    return true;
  }

  private readChunks(): void {
    for (;;) {
      if (this.chunkLeft < 0) {
        const nl = this.buf.indexOf('\r\n');
        if (nl < 0) return;
        const size = Number.parseInt(this.buf.toString('latin1', 0, nl).split(';')[0] ?? '', 16);
        if (!Number.isSafeInteger(size) || size < 0) {
          this.fail('EPROTO', 'bad chunk size from the daemon');
          return;
        }
        if (size === 0) {
          // The last chunk, then trailers (rare) and an empty line: wait until all of it is here.
          const rest = this.buf.subarray(nl + 2);
          const end = rest.indexOf('\r\n') === 0 ? 0 : rest.indexOf(CRLF2);
          if (end < 0) return;
          this.buf = rest.subarray(end === 0 ? 2 : end + 4);
          this.done(this.head?.reuse === true && this.buf.length === 0);
          return;
        }
        this.buf = this.buf.subarray(nl + 2);
        this.chunkLeft = size;
      }
      if (this.buf.length < this.chunkLeft + 2) return;
      this.parts.push(this.buf.subarray(0, this.chunkLeft));
      this.buf = this.buf.subarray(this.chunkLeft + 2);
      this.chunkLeft = -1;
    }
  }

  private done(reuse: boolean): void {
    const p = this.pending;
    const head = this.head;
    const body = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    this.pending = undefined;
    this.head = undefined;
    this.framing = undefined;
    this.parts = [];
    this.chunkLeft = -1;
    if (reuse) this.onIdle(this);
    else this.gone();
    if (p && head) p.resolve({ status: head.status, contentType: head.contentType, body });
  }
}

/**
 * Keep-alive HTTP/1.1 connections to the daemon's RPC port for the pass-through: it writes a request
 * head and the client's bytes and hands back the reply's status, content type and body, without
 * parsing the body. It reads only what framing needs, which is why it costs less than a general HTTP
 * client (docs/architecture.md, "The RPC pass-through").
 */
export class UpstreamPool {
  private readonly idle: Conn[] = [];
  private readonly open = new Set<Conn>();
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly idleMs = 2_000,
  ) {}

  post(head: string, body: Buffer, timeoutMs: number): Promise<UpstreamReply> {
    if (this.closed) return Promise.reject(new UpstreamError('ECONNREFUSED', 'the pool is closed'));
    return new Promise((resolve, reject) => {
      // A connection idle for longer than idleMs may be closing on the daemon's side right now
      // (komodod closes idle ones after 30 s, a Node server after 5 s): let it go, use a fresh one.
      const now = Date.now();
      let conn = this.idle.pop();
      while (conn && (conn.dead || now - conn.idleSince > this.idleMs)) {
        conn.socket.destroy();
        conn = this.idle.pop();
      }
      if (!conn) {
        conn = new Conn(
          this.host,
          this.port,
          (c) => {
            if (this.closed) return c.socket.destroy();
            c.idleSince = Date.now();
            this.idle.push(c);
          },
          (c) => {
            this.open.delete(c);
            const i = this.idle.indexOf(c);
            if (i >= 0) this.idle.splice(i, 1);
          },
        );
        this.open.add(conn);
      }
      conn.send(head, body, timeoutMs, { resolve, reject });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.open) c.socket.destroy();
    this.open.clear();
    this.idle.length = 0;
  }
}

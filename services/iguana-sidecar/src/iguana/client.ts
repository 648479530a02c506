import { connect } from 'node:net';
import { IguanaProtocolError, parseIguanaHttpReply } from './http-reply.js';

/** Iguana's API could not be reached (refused, reset, timed out). */
export class IguanaUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IguanaUnreachable';
  }
}

/** A JSON object reply (Iguana answers errors with status 200 and an `error` field). */
export type IguanaReply = Record<string, unknown>;

const MAX_REPLY_BYTES = 32 * 1024 * 1024;

/** The `error` string of a reply, or undefined. */
export function iguanaError(reply: IguanaReply): string | undefined {
  const e = reply.error;
  if (e === undefined || e === null) return undefined;
  return typeof e === 'string' ? e : JSON.stringify(e);
}

/**
 * Client of Iguana's HTTP API on 127.0.0.1. One request per connection, as Iguana serves them, read
 * from a raw socket because Iguana's reply headers are not valid HTTP (see http-reply.ts). Errors
 * name the call (`what`), never the body: a walletpassphrase body holds the passphrase.
 */
export class IguanaClient {
  constructor(
    readonly port: number,
    private readonly timeoutMs: number,
    private readonly host = '127.0.0.1',
  ) {}

  /** POSTs a JSON body; resolves with the parsed JSON reply (object or array). */
  async post(body: unknown, what: string): Promise<unknown> {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    const head =
      `POST / HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${payload.length}\r\nConnection: close\r\n\r\n`;
    const raw = await this.exchange(Buffer.concat([Buffer.from(head, 'latin1'), payload]), what);
    let reply: ReturnType<typeof parseIguanaHttpReply>;
    try {
      reply = parseIguanaHttpReply(raw);
    } catch (err) {
      throw new IguanaProtocolError(`iguana ${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (reply.status !== 200) throw new IguanaProtocolError(`iguana ${what}: HTTP ${reply.status}`);
    try {
      return JSON.parse(reply.body.trim());
    } catch {
      throw new IguanaProtocolError(`iguana ${what}: reply is not JSON (${reply.body.length} bytes)`);
    }
  }

  /** POSTs a JSON object and expects an object back. */
  async call(body: Record<string, unknown>, what: string): Promise<IguanaReply> {
    const reply = await this.post(body, what);
    if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) {
      throw new IguanaProtocolError(`iguana ${what}: expected a JSON object reply`);
    }
    return reply as IguanaReply;
  }

  private exchange(request: Buffer, what: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const socket = connect({ host: this.host, port: this.port });
      const finish = (err: Error | undefined) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        if (err) reject(err);
        else resolve(Buffer.concat(chunks, size));
      };
      socket.setTimeout(this.timeoutMs, () =>
        finish(new IguanaUnreachable(`iguana ${what}: no reply within ${this.timeoutMs} ms`)),
      );
      // write, not end: a half-closed socket makes some servers drop the reply.
      socket.on('connect', () => socket.write(request));
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size > MAX_REPLY_BYTES)
          finish(new IguanaProtocolError(`iguana ${what}: reply over ${MAX_REPLY_BYTES} bytes`));
        else if (complete(Buffer.concat(chunks, size))) finish(undefined);
      });
      socket.on('end', () => finish(undefined));
      socket.on('error', (err: NodeJS.ErrnoException) => {
        if (size > 0 && err.code === 'ECONNRESET') finish(undefined);
        else finish(new IguanaUnreachable(`iguana ${what}: ${err.code ?? err.message}`));
      });
    });
  }
}

/** True once a reply with a Content-Length has all its bytes (a server that keeps the socket open). */
function complete(buf: Buffer): boolean {
  if (buf.subarray(0, 5).toString('latin1') !== 'HTTP/') return false;
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const m = /\r\ncontent-length\s*:\s*(\d+)/i.exec(buf.subarray(0, end).toString('latin1'));
  return m !== null && buf.length - (end + 4) >= Number(m[1]);
}

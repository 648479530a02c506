import { type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { forwardRpc, type GatewayReply } from './gateway.js';
import { errorReply, GatewayCode } from './jsonrpc.js';
import { MAX_HEAD_BYTES, parseRequestHead, type RequestHead } from './request-head.js';
import { type Admission, admit, type RpcRouteDeps } from './rpc-route.js';

const CRLF2 = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

let dateSecond = 0;
let dateText = '';
/** The Date header, formatted once a second (as node:http does). */
function httpDate(): string {
  const now = Date.now();
  const s = Math.floor(now / 1000);
  if (s !== dateSecond) {
    dateSecond = s;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

interface Current {
  readonly head: RequestHead;
  readonly bodyStart: number;
  /** A role, or the refusal already sent (the body is then only read past). */
  readonly admission: Admission;
}

/**
 * One client connection while it speaks plain `POST /v1/rpc`: requests are read straight off the
 * socket, checked by the same functions as the node:http route and answered with one write each.
 * At the first request that is anything else, the connection with every unread byte goes to the
 * node:http server (Fastify's routes, and handleRpc), which keeps it from then on.
 */
class Lane {
  private buf: Buffer = EMPTY;
  private current: Current | undefined;
  private busy = false;
  private closing = false;

  constructor(
    private readonly socket: Socket,
    private readonly deps: RpcRouteDeps,
    private readonly server: Server,
    private readonly path: string,
    private readonly handOver: (socket: Socket) => void,
    private readonly lanes: Set<Lane>,
  ) {
    lanes.add(this);
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('timeout', this.onTimeout);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    // One timer for the connection's life, refreshed by every read and write (re-arming it per request
    // costs more than the check): idle or stalled for the keep-alive time, it is closed; busy, it waits
    // for the daemon, whose own time-out ends the call.
    socket.setTimeout(server.keepAliveTimeout);
  }

  private readonly onData = (d: Buffer): void => {
    this.buf = this.buf.length > 0 ? Buffer.concat([this.buf, d]) : d;
    if (!this.busy) this.safeNext();
    // Pipelined requests behind a busy one: no more than one full request is held; reading stops
    // until the current reply is written (node:http holds back in the same way).
    else if (this.buf.length > MAX_HEAD_BYTES + this.deps.maxBodyBytes) this.socket.pause();
  };

  /** A client that does not read its replies gets no more of them until it does. */
  private readonly onDrain = (): void => {
    this.waitingDrain = false;
    this.socket.resume();
    this.safeNext();
  };
  private waitingDrain = false;

  private readonly onTimeout = (): void => {
    if (!this.busy) this.socket.destroy();
  };

  // A reset by the client: nothing to answer. Without a listener it would be thrown.
  private readonly onError = (): void => undefined;

  private readonly onClose = (): void => {
    this.lanes.delete(this);
  };

  /** The server is closing: idle connections end now, a busy one after its reply. */
  shutdown(all: boolean): void {
    this.closing = true;
    if (all || (!this.busy && this.buf.length === 0)) this.socket.destroy();
  }

  /** A fault in the lane ends its connection, never the sidecar (it runs in a socket's event handler). */
  private safeNext(): void {
    try {
      this.next();
    } catch (err) {
      this.deps.log.error({ err: err instanceof Error ? err.message : String(err) }, 'rpc fast lane error');
      this.socket.destroy();
    }
  }

  private next(): void {
    if (this.socket.isPaused() && !this.waitingDrain) this.socket.resume();
    while (!this.busy && !this.socket.destroyed) {
      if (this.socket.writableNeedDrain) {
        this.socket.pause();
        if (!this.waitingDrain) this.socket.once('drain', this.onDrain);
        this.waitingDrain = true;
        return;
      }
      if (!this.current) {
        if (this.buf.length === 0) {
          if (this.closing) this.socket.end();
          return;
        }
        const end = this.buf.indexOf(CRLF2);
        if (end < 0 || end > MAX_HEAD_BYTES) {
          if (end > MAX_HEAD_BYTES || this.buf.length > MAX_HEAD_BYTES) this.handOverNow();
          return;
        }
        const head = parseRequestHead(this.buf.toString('latin1', 0, end), this.path);
        if (!head) {
          this.handOverNow();
          return;
        }
        const admission = admit(head.authorization, this.socket.remoteAddress, head.contentLength, this.deps);
        this.current = { head, bodyStart: end + 4, admission };
        if (!('role' in admission)) {
          // Refused on its head: answered at once, as node:http does; its body is read past below.
          this.send(
            {
              status: admission.status,
              contentType: 'application/json',
              body: `${JSON.stringify(admission.reply)}\n`,
            },
            admission.close || head.close,
          );
          // Closing (a 413, or the client asked): send() has ended the connection and dropped the rest.
          if (admission.close || head.close) return;
        }
      }
      const c = this.current;
      const bodyEnd = c.bodyStart + c.head.contentLength;
      if (this.buf.length < bodyEnd) return;
      const body = this.buf.subarray(c.bodyStart, bodyEnd);
      this.buf = this.buf.length === bodyEnd ? EMPTY : this.buf.subarray(bodyEnd);
      this.current = undefined;
      if ('role' in c.admission) this.forward(body, c.admission.role, c.head.close);
    }
  }

  private forward(body: Buffer, role: Extract<Admission, { role: unknown }>['role'], close: boolean): void {
    this.busy = true;
    const { deps } = this;
    forwardRpc(body, role, deps.rpc, deps.metrics, deps.log)
      .catch((err: unknown): GatewayReply => {
        deps.log.error({ err: err instanceof Error ? err.message : String(err) }, 'api error');
        return {
          status: 500,
          contentType: 'application/json',
          body: `${JSON.stringify(errorReply(GatewayCode.INTERNAL_ERROR, 'internal error'))}\n`,
        };
      })
      .then((out) => {
        this.busy = false;
        this.send(out, close || this.closing);
        this.next();
      })
      .catch((err: unknown) => {
        deps.log.error({ err: err instanceof Error ? err.message : String(err) }, 'rpc fast lane error');
        this.socket.destroy();
      });
  }

  /** One reply in one write (head and body in one buffer); `close` ends the connection after it. */
  private send(out: GatewayReply, close: boolean): void {
    if (this.socket.destroyed) return;
    const length = typeof out.body === 'string' ? Buffer.byteLength(out.body) : out.body.length;
    const keepAlive = `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(this.server.keepAliveTimeout / 1000)}`;
    const head =
      `HTTP/1.1 ${out.status} ${STATUS_CODES[out.status] ?? 'Unknown'}\r\ncontent-type: ${out.contentType}\r\n` +
      `content-length: ${length}\r\nDate: ${httpDate()}\r\n${close ? 'Connection: close' : keepAlive}\r\n\r\n`;
    const bytes = Buffer.allocUnsafe(head.length + length);
    bytes.write(head, 0, 'latin1');
    if (typeof out.body === 'string') bytes.write(out.body, head.length, 'utf8');
    else out.body.copy(bytes, head.length);
    this.socket.write(bytes);
    if (close) {
      this.closing = true;
      this.buf = EMPTY;
      this.current = undefined;
      this.socket.end();
    }
  }

  private handOverNow(): void {
    const s = this.socket;
    s.removeListener('data', this.onData);
    s.removeListener('timeout', this.onTimeout);
    s.removeListener('error', this.onError);
    s.removeListener('drain', this.onDrain);
    if (s.isPaused()) s.resume();
    s.setTimeout(0);
    this.lanes.delete(this);
    if (this.buf.length > 0) s.unshift(this.buf);
    this.buf = EMPTY;
    this.handOver(s);
  }
}

/**
 * Puts the RPC fast lane in front of a node:http server: every new connection starts in a Lane, and
 * goes to the server's own connection handling (llhttp, Fastify) at its first request that is not a
 * plain `POST <path>`. Closing the server ends idle lanes and busy ones after their reply.
 */
export function installFastLane(server: Server, path: string, deps: RpcRouteDeps): void {
  const own = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  const handOver = (socket: Socket) => {
    for (const l of own) l.call(server, socket);
  };
  const lanes = new Set<Lane>();
  server.on('connection', (socket: Socket) => {
    new Lane(socket, deps, server, path, handOver, lanes);
  });
  const close = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    for (const l of lanes) l.shutdown(false);
    return close(cb);
  }) as Server['close'];
  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    for (const l of lanes) l.shutdown(true);
    closeAll();
  };
  const closeIdle = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => {
    for (const l of lanes) l.shutdown(false);
    closeIdle();
  };
}

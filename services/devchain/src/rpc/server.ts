import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AllowList } from './allowip.js';
import { httpStatusFor, RpcCode, RpcError } from './errors.js';
import { stringifyRpc } from './json.js';
import type { MethodTable } from './method.js';
import { Params } from './params.js';

export interface RpcServerOptions<Ctx> {
  readonly binds: ReadonlyArray<{ host: string; port: number }>;
  readonly user: string;
  readonly password: string;
  readonly allowList: AllowList;
  /** -rpcworkqueue: requests in flight beyond this get "Work queue depth exceeded". */
  readonly workQueue: number;
  readonly methods: MethodTable<Ctx>;
  readonly ctx: Ctx;
  /** The current warm-up step, or undefined once start-up has finished. */
  readonly warmupStatus: () => string | undefined;
  readonly logger: Logger;
  /** Accept bitcoind's `/wallet/<name>` endpoint too (litecoind/bitcoind flavour); komodod has only "/". */
  readonly walletEndpoint?: boolean;
  /** The context a request to `/wallet/<name>` runs in (name URI-decoded); default `ctx`. */
  readonly contextFor?: (walletName: string | undefined) => Ctx;
}

/** komodod's HTTP server body limit (MAX_SIZE in serialize.h). */
const MAX_BODY_BYTES = 0x0200_0000;
/** komodod sleeps before answering a failed login, to slow down password guessing. */
const AUTH_FAILURE_DELAY_MS = 250;
const WWW_AUTHENTICATE = 'Basic realm="jsonrpc"';
/** Verbs libevent hands to komodod's handler; any other is refused with 405 before the path check. */
const KNOWN_HTTP_METHODS = new Set(['GET', 'POST', 'HEAD', 'PUT']);

interface RpcReply {
  result: unknown;
  error: { code: number; message: string } | null;
  id: unknown;
}

/** komodod's JSON-RPC over HTTP: basic auth, rpcallowip, status codes and warm-up, as httprpc.cpp does. */
export class RpcServer<Ctx> {
  private readonly servers: Server[] = [];
  private inFlight = 0;

  constructor(private readonly opts: RpcServerOptions<Ctx>) {}

  async start(): Promise<void> {
    for (const bind of this.opts.binds) {
      const server = createServer((req, res) => {
        this.handle(req, res).catch((err: unknown) => {
          this.opts.logger.error({ err }, 'rpc handler failed');
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      });
      server.keepAliveTimeout = 30_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(bind.port, bind.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      this.servers.push(server);
    }
  }

  /** The ports actually bound, in `binds` order (useful with port 0). */
  ports(): number[] {
    return this.servers.map((s) => {
      const addr = s.address();
      return typeof addr === 'object' && addr !== null ? addr.port : 0;
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
    this.servers.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The order of checks is komodod's (httpserver.cpp http_request_cb, then httprpc.cpp HTTPReq_JSONRPC).
    if (!this.opts.allowList.allows(req.socket.remoteAddress)) {
      res.writeHead(403).end();
      return;
    }
    if (!KNOWN_HTTP_METHODS.has(req.method ?? '')) {
      res.writeHead(405).end();
      return;
    }
    if (!this.pathRegistered(req.url ?? '')) {
      res.writeHead(404).end();
      return;
    }
    if (this.inFlight >= Math.max(this.opts.workQueue, 1)) {
      res.writeHead(500).end('Work queue depth exceeded');
      return;
    }
    this.inFlight++;
    try {
      if (req.method !== 'POST') {
        res.writeHead(405).end('JSONRPC server handles only POST requests');
        return;
      }
      const header = req.headers.authorization;
      if (header === undefined) {
        res.writeHead(401, { 'WWW-Authenticate': WWW_AUTHENTICATE }).end();
        return;
      }
      if (!this.authorized(header)) {
        // Only a wrong password is slowed down; a missing header is answered at once, as komodod does.
        this.opts.logger.warn(
          { remote: req.socket.remoteAddress },
          'ThreadRPCServer incorrect password attempt',
        );
        await new Promise((r) => setTimeout(r, AUTH_FAILURE_DELAY_MS));
        res.writeHead(401, { 'WWW-Authenticate': WWW_AUTHENTICATE }).end();
        return;
      }
      const body = await readBody(req);
      if (body === undefined) {
        res.writeHead(413).end();
        return;
      }
      await this.reply(body, res, this.contextOf(req.url ?? '/'));
    } finally {
      this.inFlight--;
    }
  }

  /** komodod registers only "/" (exact match); bitcoind also "/wallet/" (prefix) for multiwallet. */
  private pathRegistered(url: string): boolean {
    return url === '/' || (this.opts.walletEndpoint === true && url.startsWith('/wallet/'));
  }

  /** bitcoind's HTTPReq_JSONRPC: the wallet name is the URI-decoded rest of a /wallet/ path. */
  private contextOf(url: string): Ctx {
    if (!this.opts.contextFor || !url.startsWith('/wallet/')) return this.opts.ctx;
    let name: string;
    try {
      name = decodeURIComponent(url.slice('/wallet/'.length));
    } catch {
      name = url.slice('/wallet/'.length);
    }
    return this.opts.contextFor(name);
  }

  private async reply(body: string, res: ServerResponse, ctx: Ctx): Promise<void> {
    let request: unknown;
    try {
      request = JSON.parse(body);
    } catch {
      send(res, 500, errorReply(RpcCode.PARSE_ERROR, 'Parse error', null));
      return;
    }
    if (Array.isArray(request)) {
      // Batches always answer 200; each element carries its own error.
      const replies: RpcReply[] = [];
      for (const one of request) replies.push(await this.execute(one, ctx));
      send(res, 200, replies);
      return;
    }
    if (typeof request !== 'object' || request === null) {
      send(res, 500, errorReply(RpcCode.PARSE_ERROR, 'Top-level object parse error', null));
      return;
    }
    const reply = await this.execute(request, ctx);
    send(res, reply.error ? httpStatusFor(reply.error.code) : 200, reply);
  }

  /** Runs one request object; never throws. */
  async execute(request: unknown, ctx: Ctx = this.opts.ctx): Promise<RpcReply> {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return errorReply(RpcCode.INVALID_REQUEST, 'Invalid Request object', null);
    }
    const { id = null, method, params } = request as Record<string, unknown>;
    try {
      if (method === undefined) throw new RpcError(RpcCode.INVALID_REQUEST, 'Missing method');
      if (typeof method !== 'string') throw new RpcError(RpcCode.INVALID_REQUEST, 'Method must be a string');
      if (params !== undefined && params !== null && !Array.isArray(params)) {
        throw new RpcError(RpcCode.INVALID_REQUEST, 'Params must be an array');
      }
      const warmup = this.opts.warmupStatus();
      if (warmup !== undefined) throw new RpcError(RpcCode.IN_WARMUP, warmup);
      const entry = this.opts.methods.get(method);
      if (!entry) throw new RpcError(RpcCode.METHOD_NOT_FOUND, 'Method not found');
      const args = (params ?? []) as unknown[];
      if (args.length < entry.minParams || args.length > entry.maxParams) {
        // komodod answers a wrong parameter count with the method's help text as a -1 error.
        throw new RpcError(RpcCode.MISC_ERROR, entry.usage);
      }
      const result = await entry.run(ctx, new Params(args));
      return { result: result === undefined ? null : result, error: null, id };
    } catch (err) {
      if (err instanceof RpcError) return errorReply(err.code, err.message, id);
      this.opts.logger.error({ err, method }, 'rpc method failed');
      // komodod's CRPCTable::execute turns any other exception into RPC_MISC_ERROR with its text.
      return errorReply(RpcCode.MISC_ERROR, err instanceof Error ? err.message : String(err), id);
    }
  }

  private authorized(header: string): boolean {
    if (!header.startsWith('Basic ')) return false;
    const given = Buffer.from(Buffer.from(header.slice(6).trim(), 'base64').toString('utf8'));
    const expected = Buffer.from(`${this.opts.user}:${this.opts.password}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

function errorReply(code: number, message: string, id: unknown): RpcReply {
  return { result: null, error: { code, message }, id };
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const text = `${stringifyRpc(payload)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooBig ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

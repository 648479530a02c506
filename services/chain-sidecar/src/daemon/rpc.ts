import { UpstreamPool } from '../api/upstream-pool.js';
import { type CallTarget, callAgent, callDaemon } from './call.js';
import type { DaemonCredentials, DaemonEndpoint } from './credentials.js';

/** A JSON-RPC error from the daemon (code and message as the daemon sent them). */
export class DaemonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'DaemonRpcError';
  }
}

/**
 * The daemon gave no JSON-RPC answer. `kind` tells a closed port (`refused`: connection refused, no
 * conf yet — the daemon is not running) from an HTTP-level refusal (`http`: 401, 403, 503 while it
 * shuts down — it IS running) and anything else (`other`: reset, time-out).
 */
export class DaemonUnreachable extends Error {
  constructor(
    message: string,
    readonly kind: 'refused' | 'http' | 'other' = 'other',
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'DaemonUnreachable';
  }
}

export interface RawReply {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ESOCKETTIMEDOUT',
  'EPROTO',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * The daemon's RPC, two ways: `call` for the sidecar's own status queries (call.ts: typed errors,
 * JSON parsing that keeps big numbers), and `forward` of raw request bytes through a keep-alive pool
 * of plain sockets (api/upstream-pool.ts) for the pass-through, so callers get the daemon's exact
 * status code and body and the gateway adds as little latency as possible.
 */
export class DaemonRpc {
  private client: { endpoint: DaemonEndpoint; target: CallTarget } | undefined;
  private readonly agent = callAgent();
  private pool: { key: string; pool: UpstreamPool } | undefined;
  /** What forward() derives from an endpoint, computed once per endpoint (it is per request otherwise). */
  private target:
    | { endpoint: DaemonEndpoint; key: string; host: string; port: number; head: string }
    | undefined;

  constructor(
    private readonly credentials: DaemonCredentials,
    private readonly timeoutMs = 15_000,
  ) {}

  private endpoint(): DaemonEndpoint {
    try {
      return this.credentials.current();
    } catch (err) {
      throw new DaemonUnreachable(err instanceof Error ? err.message : String(err), 'refused');
    }
  }

  async call<T = unknown>(method: string, ...params: unknown[]): Promise<T> {
    const endpoint = this.endpoint();
    if (this.client?.endpoint !== endpoint) {
      this.client = {
        endpoint,
        target: {
          url: new URL(endpoint.url),
          authorization: `Basic ${Buffer.from(`${endpoint.user}:${endpoint.password}`).toString('base64')}`,
          agent: this.agent,
        },
      };
    }
    let outcome: Awaited<ReturnType<typeof callDaemon>>;
    try {
      outcome = await callDaemon(this.client.target, method, params, this.timeoutMs);
    } catch (err) {
      throw classify(err);
    }
    if (outcome.kind === 'result') return outcome.result as T;
    if (outcome.kind === 'rpc-error') throw new DaemonRpcError(outcome.code, outcome.message);
    // A non-JSON HTTP error (401, 403, 503 while it shuts down): the daemon is running but refuses.
    if (outcome.status >= 400 && outcome.status < 600)
      throw new DaemonUnreachable(`daemon answered HTTP ${outcome.status}`, 'http', outcome.status);
    throw new DaemonRpcError(outcome.status, outcome.message);
  }

  async forward(body: Buffer): Promise<RawReply> {
    const endpoint = this.endpoint();
    if (this.target?.endpoint !== endpoint) {
      const url = new URL(endpoint.url);
      if (url.protocol !== 'http:')
        throw new DaemonUnreachable(`daemon url must be http:// (got ${url.protocol})`, 'other');
      const port = Number(url.port || 80);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const authorization = `Basic ${Buffer.from(`${endpoint.user}:${endpoint.password}`).toString('base64')}`;
      this.target = {
        endpoint,
        key: `${host}:${port}`,
        host,
        port,
        // The request head up to the body's length: the same bytes for every call to this endpoint.
        head: `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: `,
      };
    }
    const t = this.target;
    if (this.pool?.key !== t.key) {
      void this.pool?.pool.close();
      this.pool = { key: t.key, pool: new UpstreamPool(t.host, t.port) };
    }
    try {
      return await this.pool.pool.post(`${t.head}${body.length}\r\n\r\n`, body, this.timeoutMs);
    } catch (err) {
      throw classify(err);
    }
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.pool?.pool.close();
  }
}

function classify(err: unknown): Error {
  if (err instanceof DaemonRpcError || err instanceof DaemonUnreachable) return err;
  const e = err as { code?: unknown; message?: string; cause?: { code?: string } };
  const code = typeof e.code === 'string' ? e.code : e.cause?.code;
  if (code === 'ECONNREFUSED') return new DaemonUnreachable('connection refused', 'refused');
  if (code && CONNECTION_ERRORS.has(code)) return new DaemonUnreachable(code);
  return new DaemonUnreachable(e.message ?? String(err));
}

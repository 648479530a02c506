import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RateLimiter } from '@nn/shared';
import type { Logger } from 'pino';
import type { DaemonRpc } from '../daemon/rpc.js';
import type { SidecarMetrics } from '../metrics.js';
import { forwardRpc } from './gateway.js';
import { errorReply, GatewayCode, type JsonRpcReply } from './jsonrpc.js';
import type { TokenStore } from './tokens.js';

export interface RpcRouteDeps {
  readonly tokens: TokenStore;
  readonly rpc: DaemonRpc;
  readonly metrics: SidecarMetrics;
  readonly limiter: RateLimiter;
  readonly maxBodyBytes: number;
  readonly log: Logger;
}

function sendJson(res: ServerResponse, status: number, reply: JsonRpcReply, close = false): void {
  const body = `${JSON.stringify(reply)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

/** The body, or undefined once it exceeds `limit` (the rest is not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () =>
      resolve(size > limit ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}

/**
 * POST /v1/rpc on node:http directly, in front of Fastify: it is the one hot path (every Iguana and
 * orchestrator call), and Fastify's per-request machinery cost more than the gateway's own work
 * (bench/sidecar-rpc.ts). Same answers as the other routes: JSON errors with 401, 413, 429.
 */
export async function handleRpc(
  req: IncomingMessage,
  res: ServerResponse,
  deps: RpcRouteDeps,
): Promise<void> {
  const header = req.headers.authorization;
  const role = deps.tokens.roleOf(header);
  if (deps.limiter.take(role && header ? header : `ip:${req.socket.remoteAddress ?? ''}`) !== undefined) {
    return sendJson(res, 429, errorReply(GatewayCode.TOO_MANY_REQUESTS, 'rate limit exceeded'));
  }
  if (!role)
    return sendJson(res, 401, errorReply(GatewayCode.UNAUTHORIZED, 'missing or invalid bearer token'));
  const tooLarge = () =>
    sendJson(
      res,
      413,
      errorReply(GatewayCode.INVALID_REQUEST, `request body exceeds ${deps.maxBodyBytes} bytes`),
      true,
    );
  if (Number(req.headers['content-length'] ?? 0) > deps.maxBodyBytes) return tooLarge();
  const body = await readBody(req, deps.maxBodyBytes);
  if (!body) return tooLarge();
  const out = await forwardRpc(body, role, deps.rpc, deps.metrics, deps.log);
  res.writeHead(out.status, {
    'content-type': out.contentType,
    'content-length': Buffer.byteLength(out.body),
  });
  res.end(out.body);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RateLimiter } from '@nn/shared';
import type { Logger } from 'pino';
import type { DaemonRpc } from '../daemon/rpc.js';
import type { SidecarMetrics } from '../metrics.js';
import type { Role } from './allowlist.js';
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

/** What the gateway says before it reads a body: a role, or the refusal to send (and whether to close). */
export type Admission =
  | { readonly role: Role }
  | { readonly status: number; readonly reply: JsonRpcReply; readonly close: boolean };

/**
 * The checks on a request's head, in the order both RPC paths make them: rate limit (per token, or per
 * address without a valid one), then the token, then the declared body size.
 */
export function admit(
  authorization: string | undefined,
  remoteAddress: string | undefined,
  contentLength: number,
  deps: RpcRouteDeps,
): Admission {
  const role = deps.tokens.roleOf(authorization);
  if (deps.limiter.take(role && authorization ? authorization : `ip:${remoteAddress ?? ''}`) !== undefined)
    return {
      status: 429,
      reply: errorReply(GatewayCode.TOO_MANY_REQUESTS, 'rate limit exceeded'),
      close: false,
    };
  if (!role)
    return {
      status: 401,
      reply: errorReply(GatewayCode.UNAUTHORIZED, 'missing or invalid bearer token'),
      close: false,
    };
  if (contentLength > deps.maxBodyBytes) return tooLarge(deps.maxBodyBytes);
  return { role };
}

export const tooLarge = (limit: number): Admission => ({
  status: 413,
  reply: errorReply(GatewayCode.INVALID_REQUEST, `request body exceeds ${limit} bytes`),
  close: true,
});

/**
 * POST /v1/rpc on node:http, in front of Fastify, for connections the fast lane handed over
 * (fast-lane.ts): the same checks and answers (JSON errors with 401, 413, 429).
 */
export async function handleRpc(
  req: IncomingMessage,
  res: ServerResponse,
  deps: RpcRouteDeps,
): Promise<void> {
  const a = admit(
    req.headers.authorization,
    req.socket.remoteAddress,
    Number(req.headers['content-length'] ?? 0),
    deps,
  );
  if (!('role' in a)) return sendJson(res, a.status, a.reply, a.close);
  const body = await readBody(req, deps.maxBodyBytes);
  if (!body) {
    const t = tooLarge(deps.maxBodyBytes) as { status: number; reply: JsonRpcReply };
    return sendJson(res, t.status, t.reply, true);
  }
  const out = await forwardRpc(body, a.role, deps.rpc, deps.metrics, deps.log);
  res.writeHead(out.status, {
    'content-type': out.contentType,
    'content-length': Buffer.byteLength(out.body),
  });
  res.end(out.body);
}

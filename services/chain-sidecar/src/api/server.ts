import { createServer } from 'node:http';
import { RateLimiter } from '@nn/shared';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { type Health, SIDECAR_ROUTES, type SidecarConfig } from '../contract/index.js';
import type { DaemonRpc } from '../daemon/rpc.js';
import type { SidecarMetrics } from '../metrics.js';
import type { StatusCache } from '../status/cache.js';
import { readiness } from '../status/readiness.js';
import type { Role } from './allowlist.js';
import { installFastLane } from './fast-lane.js';
import { errorReply, GatewayCode } from './jsonrpc.js';
import { handleRpc } from './rpc-route.js';
import type { TokenStore } from './tokens.js';

export interface ApiDeps {
  readonly cfg: SidecarConfig;
  readonly tokens: TokenStore;
  readonly rpc: DaemonRpc;
  readonly status: StatusCache;
  readonly metrics: SidecarMetrics;
  readonly log: Logger;
}

declare module 'fastify' {
  interface FastifyRequest {
    role?: Role;
  }
}

/** The sidecar's HTTP API: thin routes over the status cache and the RPC gateway. */
export async function buildApi(deps: ApiDeps) {
  const { cfg, tokens, log } = deps;
  const limiter = new RateLimiter(cfg.rateLimitPerMinute);
  const rpcDeps = {
    tokens,
    rpc: deps.rpc,
    metrics: deps.metrics,
    limiter,
    maxBodyBytes: cfg.maxBodyBytes,
    log,
  };
  const app = Fastify({
    // Fastify's per-request logs would add a line per call: only its warnings and errors are kept.
    loggerInstance: log.child({ part: 'api' }, { level: 'warn' }),
    bodyLimit: cfg.maxBodyBytes,
    // POST /v1/rpc: connections start in the fast lane (fast-lane.ts, the hot path); a connection that
    // asks for anything else goes to node:http, where POST /v1/rpc still skips Fastify (handleRpc).
    serverFactory: (handler) => {
      const server = createServer((req, res) => {
        if (
          req.method === 'POST' &&
          (req.url === SIDECAR_ROUTES.rpc.path || req.url?.startsWith(`${SIDECAR_ROUTES.rpc.path}?`))
        ) {
          handleRpc(req, res, rpcDeps).catch((err: unknown) => {
            log.error({ err: err instanceof Error ? err.message : String(err) }, 'api error');
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
            res.end(`${JSON.stringify(errorReply(GatewayCode.INTERNAL_ERROR, 'internal error'))}\n`);
          });
          return;
        }
        handler(req, res);
      });
      installFastLane(server, SIDECAR_ROUTES.rpc.path, rpcDeps);
      return server;
    },
  });
  // Keep the raw bytes: the gateway forwards exactly what the client sent (big numbers stay exact).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    const header = req.headers.authorization;
    const key = header && tokens.roleOf(header) ? header : `ip:${req.ip}`;
    if (limiter.take(key) !== undefined)
      return reply.status(429).send(errorReply(GatewayCode.TOO_MANY_REQUESTS, 'rate limit exceeded'));
  });

  app.setErrorHandler((err: { statusCode?: number; message?: string; code?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) log.error({ err: err.message }, 'api error');
    if (status === 413) {
      return reply
        .status(413)
        .send(errorReply(GatewayCode.INVALID_REQUEST, `request body exceeds ${cfg.maxBodyBytes} bytes`));
    }
    const code = status >= 500 ? GatewayCode.INTERNAL_ERROR : GatewayCode.INVALID_REQUEST;
    return reply.status(status).send(errorReply(code, err.message ?? 'error'));
  });

  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .send(
        errorReply(GatewayCode.NOT_FOUND, `no route ${req.method} ${req.url.split('?')[0]?.slice(0, 100)}`),
      ),
  );

  const requireRole = (header: string | undefined): Role | undefined => tokens.roleOf(header);

  app.get(SIDECAR_ROUTES.healthz.path, async (): Promise<Health> => ({ ok: true }));

  app.get(SIDECAR_ROUTES.readyz.path, async (_req, reply) => {
    const status = await deps.status.get({ fresh: true });
    const r = readiness(status, cfg.requirePeers);
    return reply.status(r.ready ? 200 : 503).send(r);
  });

  app.get(SIDECAR_ROUTES.status.path, async (req, reply) => {
    if (!requireRole(req.headers.authorization)) {
      return reply.status(401).send(errorReply(GatewayCode.UNAUTHORIZED, 'missing or invalid bearer token'));
    }
    return deps.status.get();
  });

  app.get(SIDECAR_ROUTES.metrics.path, async (_req, reply) => {
    await deps.status.get();
    return reply
      .header('content-type', deps.metrics.registry.contentType)
      .send(await deps.metrics.registry.metrics());
  });

  return app;
}

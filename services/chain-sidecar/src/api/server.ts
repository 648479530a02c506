import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { SidecarConfig } from '../config.js';
import type { DaemonRpc } from '../daemon/rpc.js';
import type { SidecarMetrics } from '../metrics.js';
import type { StatusCache } from '../status/cache.js';
import { readiness } from '../status/readiness.js';
import type { Role } from './allowlist.js';
import { forwardRpc } from './gateway.js';
import { errorReply, GatewayCode } from './jsonrpc.js';
import { SIDECAR_ROUTES } from './routes.js';
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
  // Fastify's per-request logs would add a line per RPC call: only its warnings and errors are kept.
  const app = Fastify({ loggerInstance: log.child({ part: 'api' }, { level: 'warn' }), bodyLimit: cfg.maxBodyBytes });
  // Keep the raw bytes: the gateway forwards exactly what the client sent (big numbers stay exact).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  await app.register(rateLimit, {
    max: cfg.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => req.headers.authorization ?? req.ip,
    errorResponseBuilder: () => ({ ...errorReply(GatewayCode.TOO_MANY_REQUESTS, 'rate limit exceeded'), statusCode: 429 }),
  });

  app.setErrorHandler((err: { statusCode?: number; message: string; code?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) log.error({ err: err.message }, 'api error');
    const message = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `request body exceeds ${cfg.maxBodyBytes} bytes` : err.message;
    void reply.status(status).send(errorReply(status === 413 ? GatewayCode.INVALID_REQUEST : GatewayCode.PARSE_ERROR, message));
  });

  const requireRole = (header: string | undefined): Role | undefined => tokens.roleOf(header);

  app.get(SIDECAR_ROUTES.healthz.path, async () => ({ ok: true }));

  app.get(SIDECAR_ROUTES.readyz.path, async (_req, reply) => {
    const status = await deps.status.get();
    const r = readiness(status, cfg.requirePeers);
    return reply.status(r.ready ? 200 : 503).send(r);
  });

  app.get(SIDECAR_ROUTES.status.path, async (req, reply) => {
    if (!requireRole(req.headers.authorization)) {
      return reply.status(401).send(errorReply(GatewayCode.UNAUTHORIZED, 'missing or invalid bearer token'));
    }
    return deps.status.get();
  });

  app.post(SIDECAR_ROUTES.rpc.path, async (req, reply) => {
    const role = requireRole(req.headers.authorization);
    if (!role) return reply.status(401).send(errorReply(GatewayCode.UNAUTHORIZED, 'missing or invalid bearer token'));
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const out = await forwardRpc(body, role, deps.rpc, deps.metrics, log);
    return reply.status(out.status).header('content-type', out.contentType).send(out.body);
  });

  app.get(SIDECAR_ROUTES.metrics.path, async (_req, reply) => {
    await deps.status.get();
    return reply.header('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return app;
}

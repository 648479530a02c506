import type { TokenStore } from '@nn/chain-sidecar';
import { RateLimiter } from '@nn/shared';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { formatIssues } from '../config.js';
import {
  type AddCoinReply,
  coinName,
  type ErrorBody,
  type Health,
  type IguanaStatus,
  IGUANA_SIDECAR_ROUTES as R,
  type Readiness,
  type RemoveCoinReply,
  type SplitReply,
  splitBodySchema,
} from '../contract/index.js';
import type { IguanaDriver } from '../driver.js';
import { ApiError, messageOf } from '../errors.js';
import type { IguanaMetrics } from '../metrics.js';

export interface ApiDeps {
  readonly driver: IguanaDriver;
  readonly tokens: TokenStore;
  readonly metrics: IguanaMetrics;
  readonly log: Logger;
  readonly maxBodyBytes: number;
  readonly rateLimitPerMinute: number;
}

const nameParam = z.strictObject({ name: coinName });

const bodyError = (error: string, field?: string): ErrorBody => ({ error, ...(field ? { field } : {}) });

/** The Iguana sidecar's HTTP API. Reads need a viewer token, changes an operator token. */
export async function buildApi(deps: ApiDeps) {
  const { driver, tokens, log } = deps;
  const limiter = new RateLimiter(deps.rateLimitPerMinute);
  // Fastify's per-request logs are left out; its warnings and errors are kept.
  const app = Fastify({
    loggerInstance: log.child({ part: 'api' }, { level: 'warn' }),
    bodyLimit: deps.maxBodyBytes,
  });

  app.addHook('onRequest', async (req, reply) => {
    const header = req.headers.authorization;
    const key = header && tokens.roleOf(header) ? header : `ip:${req.ip}`;
    if (limiter.take(key) !== undefined) return reply.status(429).send(bodyError('rate limit exceeded'));
  });

  app.setErrorHandler((err: { statusCode?: number; message?: string; code?: string }, _req, reply) => {
    if (err instanceof ApiError) return reply.status(err.status).send(bodyError(err.message, err.field));
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status === 413)
      return reply.status(413).send(bodyError(`request body exceeds ${deps.maxBodyBytes} bytes`));
    if (status >= 500) log.error({ err: err.message }, 'api error');
    return reply
      .status(status)
      .send(bodyError(status >= 500 ? 'internal error' : (err.message ?? 'bad request')));
  });

  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send(bodyError(`no route ${req.method} ${req.url.split('?')[0]?.slice(0, 100)}`)),
  );

  /** 401 without a known token, 403 when a viewer asks for an operator route. */
  const authorize = (req: FastifyRequest, reply: FastifyReply, need: 'viewer' | 'operator'): boolean => {
    const role = tokens.roleOf(req.headers.authorization);
    if (!role) {
      void reply.status(401).send(bodyError('missing or invalid bearer token'));
      return false;
    }
    if (need === 'operator' && role !== 'operator') {
      void reply.status(403).send(bodyError('this route needs the operator role (this token is a viewer)'));
      return false;
    }
    return true;
  };

  const nameOf = (params: unknown): string => {
    const p = nameParam.safeParse(params);
    if (!p.success) throw new ApiError(400, `name: ${p.error.issues[0]?.message ?? 'invalid'}`, 'name');
    return p.data.name;
  };

  app.get(R.healthz.path, async (): Promise<Health> => ({ ok: true }));

  app.get(R.readyz.path, async (_req, reply) => {
    const r: Readiness = driver.ready();
    return reply.status(r.ready ? 200 : 503).send(r);
  });

  app.get(R.status.path, async (req, reply) => {
    if (!authorize(req, reply, 'viewer')) return reply;
    const coins = await driver.coinStatuses();
    const body: IguanaStatus = { iguana: driver.iguanaState(), coins, removed: driver.removedCoins() };
    return body;
  });

  app.post(R.addCoin.path, async (req, reply) => {
    if (!authorize(req, reply, 'operator')) return reply;
    const r = await driver.addCoin(req.body);
    const body: AddCoinReply = { coin: r.coin, note: r.note };
    return reply.status(r.status).send(body);
  });

  app.delete(R.removeCoin.path, async (req, reply) => {
    if (!authorize(req, reply, 'operator')) return reply;
    const body: RemoveCoinReply = await driver.removeCoin(nameOf(req.params));
    return body;
  });

  app.post(R.split.path, async (req, reply) => {
    if (!authorize(req, reply, 'operator')) return reply;
    const name = nameOf(req.params);
    const body = splitBodySchema.safeParse(req.body ?? {});
    if (!body.success) {
      throw new ApiError(
        400,
        formatIssues(body.error.issues, '(body)').join('; '),
        body.error.issues[0]?.path.join('.') || undefined,
      );
    }
    const split: SplitReply = await driver.split(name, body.data.duplicates);
    return split;
  });

  app.get(R.metrics.path, async (_req, reply) => {
    try {
      await driver.coinStatuses();
    } catch (err) {
      log.warn({ err: messageOf(err) }, 'status for metrics failed');
    }
    return reply
      .header('content-type', deps.metrics.registry.contentType)
      .send(await deps.metrics.registry.metrics());
  });

  return app;
}

import type { ChainSpecDefaults } from '@nn/orchestrator-core';
import { parseOrThrow } from '@nn/orchestrator-core';
import type { JobQueue } from '@nn/orchestrator-jobs';
import type { LiveSubject, StateStore } from '@nn/orchestrator-state';
import { RateLimiter } from '@nn/shared';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ApiKeys, Caller } from '../auth/api-keys.js';
import { ChainCommands } from '../chains/chain-commands.js';
import { chainDetail, chainSummary, nodeView } from '../chains/chain-view.js';
import { registerNodeWalletRoutes } from '../node-wallet/node-wallet-routes.js';
import { registerNodeRoutes } from '../nodes/node-routes.js';
import { API_ROUTES, DASHBOARD_PATH } from '../routes.js';
import {
  chainIdParamsSchema,
  emptyBodySchema,
  jobIdParamsSchema,
  listJobsQuerySchema,
  liveChainStatusSchema,
  liveIguanaSchema,
  removeChainQuerySchema,
  restartChainBodySchema,
  upgradeChainBodySchema,
} from '../schemas.js';
import { registerSeasonRoutes, type SeasonRoutesOptions } from '../season/season-routes.js';
import { registerUnitRoutes, type UnitRoutesOptions } from '../units/unit-routes.js';
import { registerUpgradeRoutes } from '../upgrade/upgrade-routes.js';
import { ApiError, errorReply } from './api-error.js';
import { dashboardPath, registerDashboards } from './dashboard.js';
import { requestGuard } from './guard.js';
import { createApiMetrics } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import { registerStatusPage } from './status-page.js';

/** With `runtime` (and `instance`, `network`) the API also serves service discovery and unit logs. */
export interface ApiOptions extends UnitRoutesOptions, SeasonRoutesOptions {
  readonly redis: Redis;
  readonly state: StateStore;
  readonly queue: JobQueue;
  readonly keys: ApiKeys;
  readonly defaults: ChainSpecDefaults;
  readonly log: Logger;
  /** Largest request body in bytes (an import of every mainnet chain is well under 256 KiB). */
  readonly bodyLimit?: number;
  readonly rateLimitPerMinute?: number;
  readonly dashboard?: boolean;
  readonly version?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The API: thin routes over ChainCommands, the state store and the job queue. */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const limiter = new RateLimiter(options.rateLimitPerMinute ?? 600);
  const commands = new ChainCommands(options);
  const metrics = createApiMetrics(options.state, options.queue, options.redis);
  const openapi = buildOpenApi({ version: options.version ?? '0.1.0' });
  // Fastify's per-request logs would add lines per call: only its warnings and errors are kept.
  const logger: FastifyBaseLogger = options.log.child({ part: 'api' }, { level: 'warn' });
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit,
    // Ids in paths are checked by their schemas; the router must not merge or drop segments first.
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false },
    // A path the router cannot decode (bad percent-encoding) is refused in the API's error shape.
    frameworkErrors: (err, req, reply) => {
      const path = req.url.split('?')[0] ?? '';
      const inId = path.startsWith('/v1/chains/') || path.startsWith('/v1/jobs/');
      const { status, body } = errorReply(
        err.code === 'FST_ERR_BAD_URL'
          ? new ApiError(
              400,
              'validation',
              `${inId ? 'id' : 'path'}: not a valid URL path`,
              inId ? 'id' : 'path',
            )
          : err,
        { bodyLimit },
      );
      // The reply is typed for route generics here; it is a plain reply all the same.
      return (reply as unknown as FastifyReply).status(status).send(body);
    },
  });
  // JSON only: Fastify's built-in text/plain parser would hand a string to the routes.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((err, req, reply) => {
    const { status, body } = errorReply(err, { bodyLimit });
    if (status >= 500) req.log.error({ err }, 'api error');
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]?.slice(0, 100) ?? '';
    return reply
      .status(404)
      .send({ error: { code: 'not_found', message: `no route ${req.method} ${path}` } });
  });

  const guard = requestGuard(options.keys, limiter);

  app.addHook('onRequest', async (req, reply) => {
    const refusal = guard(req, reply);
    if (refusal !== undefined) {
      const { status, body } = errorReply(refusal, { bodyLimit });
      return reply.status(status).send(body);
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const label = route.startsWith(DASHBOARD_PATH) ? DASHBOARD_PATH : route;
    metrics.requests.inc({ method: req.method, route: label, status: String(reply.statusCode) });
    metrics.duration.observe({ method: req.method, route: label }, reply.elapsedTime / 1000);
  });

  const actor = (req: FastifyRequest) => req.caller?.actor ?? 'anonymous';
  const R = API_ROUTES;

  app.post(R.addChain.path, async (req, reply) =>
    reply.status(R.addChain.status).send(await commands.add(req.body, actor(req))),
  );

  app.post(R.importChains.path, async (req, reply) =>
    reply.status(R.importChains.status).send({ jobs: await commands.import(req.body, actor(req)) }),
  );

  app.get(R.listChains.path, async () => {
    const [chains, repairs] = await Promise.all([options.state.chains.list(), options.state.repairs.all()]);
    return { chains: chains.map((c) => chainSummary(c, repairs.get(`chain:${c.spec.id}`))) };
  });

  app.get(R.getChain.path, async (req) => {
    const { id } = parseOrThrow(chainIdParamsSchema, req.params);
    const record = await options.state.chains.find(id);
    if (record === undefined) throw new ApiError(404, 'not_found', `id: chain "${id}" does not exist`, 'id');
    return chainDetail(record, await options.state.repairs.get({ chain: id }));
  });

  app.delete(R.removeChain.path, async (req, reply) => {
    const { id } = parseOrThrow(chainIdParamsSchema, req.params);
    const query = parseOrThrow(removeChainQuerySchema, req.query);
    return reply
      .status(R.removeChain.status)
      .send(await commands.remove(id, query.keepData === 'true', actor(req)));
  });

  app.post(R.restartChain.path, async (req, reply) => {
    const { id } = parseOrThrow(chainIdParamsSchema, req.params);
    const body = parseOrThrow(restartChainBodySchema, req.body ?? {});
    return reply.status(R.restartChain.status).send(await commands.restart(id, body.reason, actor(req)));
  });

  app.post(R.walletReset.path, async (req, reply) => {
    const { id } = parseOrThrow(chainIdParamsSchema, req.params);
    parseOrThrow(emptyBodySchema, req.body ?? {});
    return reply.status(R.walletReset.status).send(await commands.walletReset(id, actor(req)));
  });

  app.post(R.consolidateChain.path, async (req, reply) => {
    const { id } = parseOrThrow(chainIdParamsSchema, req.params);
    parseOrThrow(emptyBodySchema, req.body ?? {});
    return reply.status(R.consolidateChain.status).send(await commands.consolidate(id, actor(req)));
  });

  app.post(R.upgradeChain.path, async (req, reply) => {
    const { id } = parseOrThrow(chainIdParamsSchema, req.params);
    const body = parseOrThrow(upgradeChainBodySchema, req.body ?? {});
    return reply.status(R.upgradeChain.status).send(await commands.upgrade(id, body.image, actor(req)));
  });

  app.get(R.listJobs.path, async (req) => {
    const query = parseOrThrow(listJobsQuerySchema, req.query);
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    return { jobs: await options.queue.recent(limit, query.state, query.chain) };
  });

  app.get(R.getJob.path, async (req) => {
    const { id } = parseOrThrow(jobIdParamsSchema, req.params);
    const job = await options.queue.readJob(id);
    if (job === undefined) throw new ApiError(404, 'not_found', `id: job "${id}" does not exist`, 'id');
    return job;
  });

  app.get(R.listNodes.path, async () => {
    const nodes = await options.state.nodes.list();
    return {
      nodes: await Promise.all(nodes.map(async (n) => nodeView(n, await options.state.nodes.usage(n.name)))),
    };
  });

  app.get(R.liveStatus.path, async () => {
    const chains = await options.state.chains.list();
    const bases = ['kmd', 'ltc', 'iguana'] as const;
    const subjects: LiveSubject[] = [
      ...chains.map((c) => ({ chain: c.spec.id })),
      ...bases.map((base) => ({ base })),
    ];
    const live = await options.state.live.getMany(subjects);
    // Only the known fields go out (the schemas strip the rest).
    const chainLive = (i: number) => {
      const parsed = liveChainStatusSchema.safeParse(live[i]);
      return parsed.success ? parsed.data : null;
    };
    const iguana = liveIguanaSchema.safeParse(live[chains.length + 2]);
    const nodeUnits = [...(await options.state.repairs.all())].filter(([k]) => k.startsWith('unit:'));
    return {
      chains: Object.fromEntries(chains.map((c, i) => [c.spec.id, chainLive(i)])),
      kmd: chainLive(chains.length),
      ltc: chainLive(chains.length + 1),
      iguana: iguana.success ? iguana.data : null,
      ...(nodeUnits.length > 0
        ? { nodeUnits: Object.fromEntries(nodeUnits.map(([k, r]) => [k.slice('unit:'.length), { ...r }])) }
        : {}),
    };
  });

  registerUnitRoutes(app, options);
  registerUpgradeRoutes(app, options, actor);
  registerNodeWalletRoutes(app, options, actor);
  registerNodeRoutes(app, options, actor);
  registerSeasonRoutes(app, options, actor);

  app.get(R.healthz.path, async () => {
    let redis: 'up' | 'down' = 'down';
    try {
      redis = (await options.redis.ping()) === 'PONG' ? 'up' : 'down';
    } catch {
      // reported as down
    }
    return { ok: true, redis };
  });

  app.get(R.metrics.path, async (_req, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  app.get(R.openapi.path, async () => openapi);
  registerStatusPage(app);

  if (options.dashboard !== false) {
    app.get(DASHBOARD_PATH, async (req, reply) =>
      reply.redirect(dashboardPath(req.caller?.role === 'operator' ? 'operator' : 'viewer')),
    );
    await registerDashboards(app, options.queue);
  }
  return app;
}

import { JobQueue, parseJobQueueConfig } from '@nn/orchestrator-jobs';
import { createStateStore } from '@nn/orchestrator-state';
import { createLogger } from '@nn/shared';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ApiKeys } from './auth/api-keys.js';
import type { ApiConfig } from './config.js';
import { buildApi } from './http/server.js';
import type { SeasonRoutesOptions } from './season/season-routes.js';
import type { UnitRoutesOptions } from './units/unit-routes.js';

export interface RunningApi {
  /** `http://host:port` the API listens on. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Connects to Redis, builds the API and listens; close() stops it and closes what it opened. `units`
 * (the runtime, the instance and the cluster network) enables service discovery and unit logs; the
 * runtime stays the caller's to close.
 */
export async function startApi(
  config: ApiConfig,
  log?: Logger,
  units: Omit<UnitRoutesOptions, 'state'> & SeasonRoutesOptions = {},
): Promise<RunningApi> {
  const logger = log ?? createLogger('orchestrator-api', { level: config.logLevel });
  const keys = ApiKeys.fromFile(config.keysFile);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  // ioredis reconnects by itself; requests made while Redis is away fail with 503 (see api-error.ts).
  redis.on('error', (err: Error) => logger.debug({ err: err.message }, 'Redis connection error'));
  const state = createStateStore(
    redis,
    config.statePrefix === undefined ? {} : { prefix: config.statePrefix },
  );
  // The jobs package's producer, on the API's connection (a Queue never blocks it); settings left out
  // take the jobs' defaults, so the API queues onto the queue the workers consume.
  const queueConfig = parseJobQueueConfig(
    {
      queueName: config.queueName,
      queuePrefix: config.queuePrefix,
      attempts: config.jobAttempts,
      backoffMs: config.jobBackoffMs,
    },
    'config',
  );
  const queue = new JobQueue(redis, queueConfig, state);
  const app = await buildApi({
    ...units,
    redis,
    state,
    queue,
    keys,
    defaults: {
      image: config.defaultImage,
      ...(config.defaultResources === undefined ? {} : { resources: config.defaultResources }),
    },
    log: logger,
    ...(config.bodyLimit === undefined ? {} : { bodyLimit: config.bodyLimit }),
    ...(config.rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute: config.rateLimitPerMinute }),
  });
  const colon = config.listen.lastIndexOf(':');
  const host = config.listen.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(config.listen.slice(colon + 1));
  await app.listen({ host, port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  logger.info({ url }, 'orchestrator API listening');
  return {
    url,
    async close() {
      await app.close();
      await queue.close();
      await redis.quit();
    },
  };
}

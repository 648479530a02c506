import { apiConfigSchema, type RunningApi, startApi } from '@nn/orchestrator-api';
import { parseOrThrow } from '@nn/orchestrator-core';
import { createJobsRuntime, type JobsRuntime, parseJobsConfig } from '@nn/orchestrator-jobs';
import { createStateStore } from '@nn/orchestrator-state';
import type { Runtime } from '@nn/runtime';
import { createLogger } from '@nn/shared';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { endpointOf, type OrchestratorConfig } from './config.js';
import { makeRuntime } from './make-runtime.js';

export interface RunningOrchestrator {
  /** The API's URL when this process serves it. */
  readonly apiUrl: string | undefined;
  readonly jobs: JobsRuntime | undefined;
  close(): Promise<void>;
}

/**
 * Starts what the config's roles ask for. A worker registers the configured nodes in the state store
 * (the config file is the source of truth for them), makes sure the cluster network exists on every
 * reachable node, and runs the workers with the Docker event feed and the periodic sweep. The API
 * serves the chain and job routes. Both roles in one process is the single-host default; more worker
 * processes (on any host that reaches Redis and the engines) share the same queue.
 */
export async function startOrchestrator(
  config: OrchestratorConfig,
  log?: Logger,
  /** The engine behind the nodes; default the Docker runtime over the config's engines. */
  opts: { readonly runtime?: Runtime } = {},
): Promise<RunningOrchestrator> {
  const logger = log ?? createLogger('orchestrator', { level: config.logLevel });
  const jobsConfig = parseJobsConfig(config.jobs);
  const closers: Array<() => Promise<void>> = [];
  // Each part gets a bounded time to stop: after an engine crash Redis may be gone, and a worker's
  // hand-back (or a QUIT) then waits on a connection that never comes back, holding the whole stop
  // until the engine kills the container.
  const close = async () => {
    for (const c of closers.reverse())
      await bounded(c(), CLOSE_PART_MS).catch((err: unknown) => logger.warn({ err: String(err) }, 'close'));
  };
  try {
    // The workers deploy through it; the API lists units for service discovery and reads their logs.
    // Docker over the nodes' engines, or the Kubernetes cluster of the config's `kubernetes` section.
    const runtime =
      opts.runtime ?? (await makeRuntime(config, jobsConfig.sidecarImage, logger.child({ part: 'runtime' })));
    closers.push(() => runtime.close());
    let jobs: JobsRuntime | undefined;
    if (config.roles.includes('worker')) {
      // State commands fail fast while Redis is away (the job retries); BullMQ's own connection waits.
      const redis = watched(new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }), logger, 'state');
      closers.push(() => quitOrDrop(redis));
      const connection = watched(new Redis(config.redisUrl, { maxRetriesPerRequest: null }), logger, 'queue');
      closers.push(() => quitOrDrop(connection));
      const state = createStateStore(
        redis,
        config.statePrefix === undefined ? {} : { prefix: config.statePrefix },
      );
      for (const node of config.nodes)
        await state.nodes.upsert({
          name: node.name,
          endpoint: endpointOf(node),
          labels: node.labels,
          capacity: node.capacity,
          schedulable: node.schedulable,
        });
      await runtime.ensureNetwork();
      jobs = await createJobsRuntime({
        config: jobsConfig,
        redis,
        ...(config.statePrefix === undefined ? {} : { statePrefix: config.statePrefix }),
        connection,
        runtime,
        log: logger.child({ part: 'jobs' }),
      });
      const running = jobs;
      closers.push(() => running.close());
      logger.info(
        { nodes: config.nodes.map((n) => n.name), concurrency: jobsConfig.concurrency },
        'workers running',
      );
    }
    let api: RunningApi | undefined;
    if (config.roles.includes('api') && config.api) {
      const apiConfig = parseOrThrow(
        apiConfigSchema,
        {
          redisUrl: config.redisUrl,
          listen: config.api.listen,
          keysFile: config.api.keysFile,
          ...(config.statePrefix === undefined ? {} : { statePrefix: config.statePrefix }),
          queueName: jobsConfig.queueName,
          queuePrefix: jobsConfig.queuePrefix,
          defaultImage: config.api.defaultImage,
          ...(config.api.defaultResources === undefined
            ? {}
            : { defaultResources: config.api.defaultResources }),
          jobAttempts: jobsConfig.attempts,
          jobBackoffMs: jobsConfig.backoffMs,
          ...(config.api.bodyLimit === undefined ? {} : { bodyLimit: config.api.bodyLimit }),
          ...(config.api.rateLimitPerMinute === undefined
            ? {}
            : { rateLimitPerMinute: config.api.rateLimitPerMinute }),
          logLevel: config.logLevel,
        },
        'config.api',
      );
      api = await startApi(apiConfig, logger.child({ part: 'api' }), {
        runtime,
        instance: jobsConfig.instance,
        network: config.network,
        notaryPubkey: jobsConfig.notary?.pubkey,
      });
      const running = api;
      closers.push(() => running.close());
    }
    return { apiUrl: api?.url, jobs, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** How long one part (the API, the workers, a connection) may take to stop. */
const CLOSE_PART_MS = 20_000;

/** Resolves when `p` settles or after `ms` (then rejects, naming the time), whichever comes first. */
function bounded(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not stop within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** QUIT when Redis answers; a connection that is down is dropped (QUIT would wait for it forever). */
async function quitOrDrop(redis: Redis): Promise<void> {
  if (redis.status === 'ready')
    await bounded(
      redis.quit().then(() => undefined),
      2_000,
    ).catch(() => undefined);
  redis.disconnect();
}

/** Connection errors are logged, not thrown: ioredis reconnects by itself (Redis restarts are expected). */
function watched(redis: Redis, log: Logger, name: string): Redis {
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.warn({ connection: name, err: err.message }, 'Redis connection lost; reconnecting');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info({ connection: name }, 'Redis connection restored');
    down = false;
  });
  return redis;
}

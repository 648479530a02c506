import { chainResourcesSchema, imageRefSchema, parseOrThrow } from '@nn/orchestrator-core';
import { z } from 'zod';

// The API process's settings, from the environment (a container's usual way). Secrets are never here:
// only the path of the API keys file, which must be mode 600.

const LISTEN = /^(?:\[[0-9A-Fa-f:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

export const apiConfigSchema = z.strictObject({
  redisUrl: z.string().regex(/^rediss?:\/\//, { error: 'must be a redis:// or rediss:// URL' }),
  listen: z.string().regex(LISTEN, { error: 'must be host:port' }),
  keysFile: z.string().min(1, { error: 'the API keys file (mode 600) is required' }),
  statePrefix: z.string().optional(),
  /** The orchestrator's BullMQ queue and prefix; default those of orchestrator/jobs. */
  queueName: z.string().optional(),
  queuePrefix: z.string().optional(),
  defaultImage: imageRefSchema,
  /** What a chain added without `resources` reserves on its node; default core's DEFAULT_CHAIN_RESOURCES. */
  defaultResources: chainResourcesSchema.optional(),
  /** Attempts and first backoff of the jobs it queues; default those of orchestrator/jobs. */
  jobAttempts: z.number().int().min(1).max(100).optional(),
  jobBackoffMs: z.number().int().min(10).max(3_600_000).optional(),
  bodyLimit: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .optional(),
  rateLimitPerMinute: z.number().int().min(1).optional(),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});
export type ApiConfig = z.infer<typeof apiConfigSchema>;

const num = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** NN_REDIS_URL, NN_API_LISTEN, NN_API_KEYS_FILE, NN_STATE_PREFIX, NN_QUEUE_NAME, NN_QUEUE_PREFIX, NN_CHAIN_IMAGE, ... */
export function apiConfigFromEnv(env: NodeJS.ProcessEnv): ApiConfig {
  const raw = {
    redisUrl: env.NN_REDIS_URL ?? 'redis://127.0.0.1:6379',
    listen: env.NN_API_LISTEN ?? '127.0.0.1:7780',
    keysFile: env.NN_API_KEYS_FILE ?? '',
    statePrefix: env.NN_STATE_PREFIX,
    queueName: env.NN_QUEUE_NAME,
    queuePrefix: env.NN_QUEUE_PREFIX,
    defaultImage: env.NN_CHAIN_IMAGE ?? 'nn/devchain:0.1.0',
    bodyLimit: num(env.NN_API_BODY_LIMIT),
    rateLimitPerMinute: num(env.NN_API_RATE_LIMIT),
    logLevel: env.NN_LOG_LEVEL ?? 'info',
  };
  return parseOrThrow(
    apiConfigSchema,
    Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
  );
}

import { CHAIN_STATUSES } from '@nn/orchestrator-core';
import type { JobQueue } from '@nn/orchestrator-jobs';
import type { StateStore } from '@nn/orchestrator-state';
import type { Redis } from 'ioredis';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

// The API's Prometheus metrics on a registry of its own (several APIs in one test process must not share
// the global one). Chain and queue gauges are read from Redis when scraped, so they are never stale;
// while Redis is away they have no sample and nn_redis_up is 0, and the scrape itself still answers.

/** How long a scrape waits for Redis before counting it down (Prometheus' default scrape time-out is 10 s). */
const REDIS_TIMEOUT_MS = 2_000;

export interface ApiMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route'>;
}

export function createApiMetrics(state: StateStore, queue: JobQueue, redis: Redis): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'nn_api_' });
  const requests = new Counter({
    name: 'nn_api_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'nn_api_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'nn_chains',
    help: 'Chains in the desired state by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const chains = await withoutRedis(() => state.chains.list());
      this.reset();
      if (chains === undefined) return;
      const counts = new Map<string, number>(CHAIN_STATUSES.map((s) => [s, 0]));
      for (const chain of chains) counts.set(chain.status, (counts.get(chain.status) ?? 0) + 1);
      for (const [status, n] of counts) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'nn_queue_jobs',
    help: 'Jobs in the orchestrator queue by state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const counts = await withoutRedis(() => queue.counts());
      this.reset();
      for (const [st, n] of Object.entries(counts ?? {})) this.set({ state: st }, n);
    },
  });
  new Gauge({
    name: 'nn_redis_up',
    help: '1 when Redis answered a PING during this scrape, else 0',
    registers: [registry],
    async collect() {
      this.set((await withoutRedis(() => redis.ping())) === 'PONG' ? 1 : 0);
    },
  });
  return { registry, requests, duration };
}

/** The result, or undefined when Redis fails or does not answer in time. */
async function withoutRedis<T>(read: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), REDIS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([read(), timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

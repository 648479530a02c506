import type Docker from 'dockerode';
import { Redis } from 'ioredis';
import { CliError, EXIT } from '../io.js';
import {
  controlLogTail,
  controlState,
  ensureControlContainer,
  removeControlContainer,
} from './control-containers.js';
import type { NodeHome } from './node-home.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** PONG within a second, or false. */
export async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {}); // refused: the answer is false
  try {
    await probe.connect();
    return (
      (await Promise.race([probe.ping(), new Promise((r) => setTimeout(() => r('timeout'), 1000))])) ===
      'PONG'
    );
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export interface RedisChoice {
  readonly url: string;
  readonly how: 'given' | 'reachable' | 'started' | 'ours';
}

export const REDIS_IMAGE = 'nn/redis:0.1.0';
const STOP_TIMEOUT_SEC = 60;
export const redisContainerOf = (name: string) => `${name}-redis`;
export const redisVolumeOf = (name: string) => `${name}-redis-data`;

/**
 * The node's own Redis: the container <name>-redis (nn/redis) on the host's network, listening on
 * 127.0.0.1:<port> only, its data in the volume <name>-redis-data. AOF on with fsync every second (the
 * desired state and the queue survive a crash), no RDB snapshots, and `noeviction`: BullMQ's keys must
 * never be evicted under memory pressure (a write fails loudly instead).
 */
export async function ensureRedisContainer(
  docker: Docker,
  name: string,
  port: number,
): Promise<{ id: string; how: string }> {
  const container = redisContainerOf(name);
  const made = await ensureControlContainer(docker, {
    name: container,
    image: REDIS_IMAGE,
    cmd: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--protected-mode',
      'yes',
      '--dir',
      '/data',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    env: { NN_REDIS_PORT: String(port) },
    volumes: { [redisVolumeOf(name)]: '/data' },
    labels: { 'nn.instance': name },
    stopTimeoutSec: STOP_TIMEOUT_SEC,
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await redisAnswers(url))) {
    const state = await controlState(docker, container);
    if (!state?.running || Date.now() > deadline)
      throw new CliError(
        `Redis (container ${container}, ${state?.detail ?? 'gone'}) did not answer on ${url}; docker logs ${container}:\n${await controlLogTail(docker, container)}`,
        EXIT.unavailable,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
  return { id: made.id.slice(0, 12), how: made.how };
}

/** Removes the node's Redis container (and with `volumes` its data); false when there was none. */
export function removeRedisContainer(docker: Docker, name: string, volumes: boolean): Promise<boolean> {
  return removeControlContainer(docker, redisContainerOf(name), {
    timeoutSec: STOP_TIMEOUT_SEC,
    ...(volumes ? { volumes: [redisVolumeOf(name)] } : {}),
  });
}

/**
 * The Redis the node uses: the one given (it must answer), else the node's own container when an earlier
 * `up` made it, else one already answering on 127.0.0.1:6379, else a new container of the node's own.
 */
export async function ensureRedis(
  docker: Docker,
  home: NodeHome,
  given: string | undefined,
  port: number,
): Promise<RedisChoice> {
  if (given !== undefined) {
    if (!(await redisAnswers(given)))
      throw new CliError(
        `--redis ${given}: no answer to PING; start it or leave --redis out`,
        EXIT.unavailable,
      );
    return { url: given, how: 'given' };
  }
  const ownUrl = `redis://127.0.0.1:${port}`;
  if ((await controlState(docker, redisContainerOf(home.name))) !== undefined) {
    await ensureRedisContainer(docker, home.name, port);
    return { url: ownUrl, how: 'ours' };
  }
  if (await redisAnswers(DEFAULT_REDIS_URL)) return { url: DEFAULT_REDIS_URL, how: 'reachable' };
  await ensureRedisContainer(docker, home.name, port);
  return { url: ownUrl, how: 'started' };
}

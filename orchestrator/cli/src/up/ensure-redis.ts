import { spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { CliError, EXIT } from '../io.js';
import type { NodeHome } from './node-home.js';
import { runningPid } from './processes.js';

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

/**
 * The Redis the node uses: the one given (it must answer), else one already answering on 127.0.0.1:6379,
 * else a redis-server of our own (AOF on, fsync every second, data under the node's home), started in the
 * background and found again by its pid file on the next `up`.
 */
export async function ensureRedis(
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
  if (runningPid(home.redisPid, home.redisDir) !== undefined && (await redisAnswers(ownUrl)))
    return { url: ownUrl, how: 'ours' };
  if (await redisAnswers(DEFAULT_REDIS_URL)) return { url: DEFAULT_REDIS_URL, how: 'reachable' };
  mkdirSync(home.redisDir, { recursive: true, mode: 0o700 });
  const log = openSync(home.redisLog, 'a', 0o600);
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--protected-mode',
      'yes',
      '--dir',
      home.redisDir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--daemonize',
      'no',
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  const failed = new Promise<Error>((resolve) => child.once('error', resolve));
  child.unref();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const err = await Promise.race([
      failed,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 200)),
    ]);
    if (err)
      throw new CliError(
        `no Redis answers on ${DEFAULT_REDIS_URL} and redis-server could not be started (${err.message}); install it (apt-get install redis-server) or pass --redis`,
        EXIT.unavailable,
      );
    if (await redisAnswers(ownUrl)) break;
    if (Date.now() > deadline)
      throw new CliError(
        `redis-server did not answer on ${ownUrl} within 15 s (see ${home.redisLog})`,
        EXIT.unavailable,
      );
  }
  writeFileSync(home.redisPid, `${child.pid}\n`, { mode: 0o600 });
  return { url: ownUrl, how: 'started' };
}

import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run by its sha (EVALSHA), loaded on first use or after the server lost its script cache
 * (a restart, SCRIPT FLUSH). Every multi-key change in this package is one script, so it is atomic.
 */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** A script's reply as a list of strings ({ 'OK', ... } / { 'ERR_KIND', detail }). */
export function replyStrings(reply: unknown, script: string): string[] {
  if (!Array.isArray(reply) || !reply.every((r) => typeof r === 'string' || typeof r === 'number'))
    throw new Error(`script ${script} returned an unexpected reply: ${JSON.stringify(reply)}`);
  return reply.map(String);
}

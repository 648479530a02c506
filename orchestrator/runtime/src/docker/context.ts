import type { Logger } from 'pino';
import { NodeNotFoundError } from '../errors.js';
import type { Engine } from './engine.js';
import type { ResolvedDockerRuntimeConfig } from './engine-config.js';

/** What the DockerRuntime's parts share: the engines, the config and the logger. */
export interface DockerContext {
  readonly engines: readonly Engine[];
  readonly config: ResolvedDockerRuntimeConfig;
  readonly log: Logger;
}

export function engineOf(ctx: DockerContext, node: string): Engine {
  const e = ctx.engines.find((x) => x.name === node);
  if (!e) throw new NodeNotFoundError(node);
  return e;
}

const PING_TIMEOUT_MS = 5000;

/** Engines that answer a ping now (a dead one must not stall a listing or a sweep). */
export async function reachableEngines(ctx: DockerContext): Promise<Engine[]> {
  const ok = await Promise.all(
    ctx.engines.map(async (e) => {
      try {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('ping timed out')), PING_TIMEOUT_MS);
        });
        try {
          await Promise.race([e.api.ping(), timeout]);
        } finally {
          clearTimeout(timer);
        }
        return e;
      } catch {
        return null;
      }
    }),
  );
  return ok.filter((e): e is Engine => e !== null);
}

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { removeBaseUnits } from '@nn/node-units';
import { deletePrefixed } from '@nn/orchestrator-state';
import { Redis } from 'ioredis';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../io.js';
import { localDocker } from './control-containers.js';
import { orchestratorContainerOf, stopOrchestrator } from './ensure-orchestrator.js';
import { redisAnswers, redisContainerOf, removeRedisContainer } from './ensure-redis.js';
import { removeService } from './install-service.js';
import { nnRoot, nodeHome } from './node-home.js';
import { stopProcess } from './processes.js';
import {
  baseUnitPrefix,
  chainUnitPrefix,
  localEngineUrl,
  localRuntime,
  networkOf,
  queuePrefixOf,
  statePrefixOf,
} from './run-up.js';

export interface DownSummary {
  readonly name: string;
  readonly orchestratorStopped: boolean;
  readonly unitsRemoved: string[];
  readonly volumesRemoved: boolean;
  readonly redisStopped: boolean;
}

/**
 * `nnctl down [--volumes]`: stops the orchestrator, removes the chain units and the node's own units
 * (gracefully: each daemon gets its stop time-out), the cluster network, and a Redis `up` started. Data
 * volumes, the desired state and the node's secrets stay unless `--volumes`, so `up` brings the same
 * node back; with `--volumes` everything `up` made is gone.
 */
export async function runDown(ctx: CommandContext, name: string, volumes: boolean): Promise<DownSummary> {
  if (!/^[a-z][a-z0-9]{0,11}$/.test(name))
    throw new CliError(`--name ${name}: must be 1-12 of a-z 0-9, starting with a letter`, EXIT.usage);
  const home = nodeHome(nnRoot(ctx.io.env), name);
  const docker = localDocker(localEngineUrl(ctx.io.env));
  // The systemd unit of `up --install-service` (stopped, disabled, its file removed), the container, and
  // a host process an earlier nnctl started (its pid file).
  const serviceRemoved = removeService(ctx.io.env, name);
  if (serviceRemoved) ctx.note('service        removed');
  const orchestratorStopped =
    (await stopOrchestrator(docker, home)) ||
    (await stopProcess(home.orchestratorPid, home.configFile, 60_000)) ||
    serviceRemoved;
  ctx.note(`orchestrator   ${orchestratorStopped ? 'stopped' : 'not running'}`);
  const runtime = localRuntime(ctx.io.env, networkOf(name));
  const removed: string[] = [];
  try {
    const owned = await runtime.listOwned();
    const chainUnits = [
      ...new Set(owned.map((r) => r.unit).filter((u) => u.startsWith(chainUnitPrefix(name)))),
    ];
    for (const unit of chainUnits) {
      await runtime.removeUnit(unit, { volumes });
      removed.push(unit);
      ctx.note(`${unit.padEnd(14)} removed`);
    }
    const control = [orchestratorContainerOf(name), redisContainerOf(name)];
    const baseUnits = [...new Set(owned.map((r) => r.unit))].filter(
      (u) =>
        u.startsWith(baseUnitPrefix(name)) && !u.startsWith(chainUnitPrefix(name)) && !control.includes(u),
    );
    await removeBaseUnits(runtime, baseUnitPrefix(name), { volumes });
    for (const unit of baseUnits) {
      removed.push(unit);
      ctx.note(`${unit.padEnd(14)} removed`);
    }
    await runtime.removeNetwork(networkOf(name)).catch((err: unknown) => {
      ctx.note(`network        kept: ${err instanceof Error ? err.message : String(err)}`);
    });
  } finally {
    await runtime.close();
  }
  if (volumes) await forgetState(home.configFile, name);
  const redisStopped =
    (await removeRedisContainer(docker, name, volumes)) ||
    (await stopProcess(home.redisPid, home.redisDir, 30_000));
  if (redisStopped) ctx.note('redis          stopped');
  if (volumes) {
    rmSync(home.dir, { recursive: true, force: true });
    ctx.note(`home           ${home.dir} removed`);
  }
  return { name, orchestratorStopped, unitsRemoved: removed, volumesRemoved: volumes, redisStopped };
}

/** With --volumes on a shared Redis: the node's state and queue keys go too (a Redis of our own goes whole). */
async function forgetState(configFile: string, name: string): Promise<void> {
  if (!existsSync(configFile)) return;
  const { redisUrl } = JSON.parse(readFileSync(configFile, 'utf8')) as { redisUrl?: string };
  if (!redisUrl || !(await redisAnswers(redisUrl))) return;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await deletePrefixed(redis, [statePrefixOf(name), `${queuePrefixOf(name)}:`]);
  } finally {
    await redis.quit();
  }
}

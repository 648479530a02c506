import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOrchestratorConfig, type RunningOrchestrator, startOrchestrator } from '@nn/orchestrator-app';
import { RedisServerProcess } from '@nn/orchestrator-state/testing';
import { claim } from '@nn/testkit';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { docker } from '../helpers/docker.js';

// An engine crash takes the node's Redis down with everything else, and the engine then stops the
// orchestrator: its stop must end on its own although Redis is gone (it used to wait on BullMQ's dead
// connection until the engine killed it, holding up the engine's restore). The whole test is bounded
// by its time-out: a stop that hangs fails it.

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const id = randomBytes(3).toString('hex');
const network = `nns${id}-net`;
claim({ kind: 'docker', prefix: network });
const dir = mkdtempSync(join(tmpdir(), `nn-stop-${id}-`));
let redis: RedisServerProcess | undefined;
let running: RunningOrchestrator | undefined;

afterAll(async () => {
  await redis?.destroy();
  for (const n of await docker.listNetworks({ filters: { name: [network] } }))
    if (n.Name === network)
      await docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('the orchestrator stops although Redis is gone', () => {
  it('a worker whose Redis was SIGKILLed stops (bounded per part) instead of waiting for Redis forever', async () => {
    redis = await RedisServerProcess.create();
    await redis.start();
    const config = parseOrchestratorConfig({
      redisUrl: redis.url,
      statePrefix: `nns${id}:`,
      network,
      roles: ['worker'],
      nodes: [
        {
          name: 'local',
          capacity: {
            memoryBytes: 2 ** 33,
            diskBytes: 2 ** 40,
            p2pPorts: { from: 1024, to: 59_999 },
            sidecarPorts: { from: 60_000, to: 60_099 },
          },
        },
      ],
      jobs: {
        secretsDir: join(dir, 'secrets'),
        instance: `s${id}`,
        queuePrefix: `nns${id}`,
        unitPrefix: `s${id}-`,
        liveStatusEveryMs: 0,
      },
    });
    running = await startOrchestrator(config, pino({ level: 'silent' }));
    expect(running.jobs?.worker?.isRunning()).toBe(true);
    await redis.kill();
    // Resolves: every part that cannot finish without Redis is given up after its bound (20 s).
    await expect(running.close()).resolves.toBeUndefined();
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildChainSpec } from '@nn/orchestrator-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnv, type Env, unitResources, waitForJob } from './harness.js';

// chain.add failures: a permanent one fails at once, a transient one after the last attempt; either way
// the job's failedReason and the chain's statusReason say why, and nothing the job made is left.

let env: Env;
beforeAll(async () => {
  env = await createEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

const newChain = async (suffix: string, image: string) => {
  const spec = buildChainSpec(
    { entry: { ac_name: `NNR${env.id.toUpperCase()}${suffix}`, ac_supply: '777' } },
    { image },
  );
  await env.state.chains.create(spec);
  return { spec, unit: `t${env.id}-${spec.id}` };
};

describe('chain.add rollback', () => {
  it('an image that cannot be found fails at once, with a clear reason and nothing left', async () => {
    const jobs = await env.start(env.baseConfig({ queueName: 'rb-image', attempts: 4 }));
    const { spec, unit } = await newChain('A', 'nn/devchain:no-such-tag');
    // Only this file's units: other test files run at the same time on the same engine.
    const ours = async () =>
      (await env.runtime.listOwned()).filter((r) => r.unit.startsWith(`t${env.id}-`)).length;
    const before = await ours();
    const t0 = Date.now();
    const view = await waitForJob(jobs, await jobs.queue.addChain(spec.id));
    console.log(`missing image: failed and rolled back in ${Date.now() - t0} ms`);
    expect(view.state).toBe('failed');
    expect(view.attemptsMade).toBe(1); // permanent: no retries
    expect(view.error?.message).toBe(
      'images: image "nn/devchain:no-such-tag" is not on node "local": no reachable node has it to send',
    );
    const chain = await env.state.chains.get(spec.id);
    expect(chain.status).toBe('failed');
    expect(chain.statusReason).toBe(view.error?.message);
    expect(chain.placement).toBeUndefined();
    expect((await env.state.nodes.usage('local')).chains).toBe(0);
    expect(await unitResources(env.runtime, unit)).toEqual({ containers: [], volumes: [] });
    expect(await ours()).toBe(before);
  });

  it('a daemon that never gets ready fails after the last attempt and its unit, volume and secrets go', async () => {
    // The sidecar image cannot run komodod's flags: the unit is made, but never gets ready.
    const jobs = await env.start(
      env.baseConfig({ queueName: 'rb-ready', attempts: 2, backoffMs: 200, readyTimeoutMs: 5_000 }),
    );
    const { spec, unit } = await newChain('B', 'nn/chain-sidecar:0.1.0');
    const seenUnit: string[] = [];
    const t0 = Date.now();
    const id = await jobs.queue.addChain(spec.id);
    // While it runs, the unit exists (so the rollback has something to undo).
    const watch = (async () => {
      for (let i = 0; i < 200; i++) {
        const r = await unitResources(env.runtime, unit);
        if (r.containers.length === 2) {
          seenUnit.push(...r.containers, ...r.volumes);
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const view = await waitForJob(jobs, id);
    await watch;
    console.log(`never ready: 2 attempts, failed and rolled back in ${Date.now() - t0} ms`);
    expect(seenUnit).toEqual([`${unit}-daemon`, `${unit}-sidecar`, `${unit}-data`]);
    expect(view.state).toBe('failed');
    expect(view.attemptsMade).toBe(2);
    expect(view.error?.message).toMatch(/^wait-ready: not ready after 5 s: /);
    const chain = await env.state.chains.get(spec.id);
    expect(chain.status).toBe('failed');
    expect(chain.statusReason).toBe(view.error?.message);
    expect(chain.placement).toBeUndefined();
    expect(await unitResources(env.runtime, unit)).toEqual({ containers: [], volumes: [] });
    expect(existsSync(join(env.dir, 'secrets', 'chains', spec.id))).toBe(false);
  });
});

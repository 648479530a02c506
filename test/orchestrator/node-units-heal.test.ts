import { readFileSync } from 'node:fs';
import { type BaseUnits, removeBaseUnits } from '@nn/node-units';
import { buildChainSpec } from '@nn/orchestrator-core';
import type { JobsRuntime } from '@nn/orchestrator-jobs';
import { eventually } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { docker } from '../helpers/docker.js';
import { createEnv, DEVCHAIN_IMAGE, type Env, waitForJob } from './harness.js';
import { deployNodeUnits } from './node-units-env.js';

// The node's own units reconciled like chains (issue 15, items 1 and 3), on the real engine: a devnet
// node's LTC, KMD and Iguana units (the stand-in images), recorded as desired state the way `nnctl up`
// records them, one assetchain added through the jobs and registered with the real Iguana sidecar.
// Then LTC and KMD are stopped (Exited, as an engine restart leaves them) and Iguana's containers
// removed: the workers' event feed and sweep bring the three back in dependency order, the chain stays
// ready (never rolled back, never added again) and Iguana lists it again. Bounded: 4 minutes.

vi.setConfig({ testTimeout: 420_000, hookTimeout: 300_000 });

const HEAL_BOUND_MS = 240_000;

let env: Env;
let base: BaseUnits;
let jobs: JobsRuntime;
let chainId: string;
let iguanaName: string;
let prefix: string;

async function iguanaCoins(): Promise<Array<{ name: string; registered: boolean }>> {
  const iguana = base.iguana;
  if (!iguana) throw new Error('the devnet layout has Iguana');
  const token = readFileSync(iguana.viewerTokenFile, 'utf8').trim();
  const res = await fetch(`${iguana.endpoint}/v1/status`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5_000),
  });
  return ((await res.json()) as { coins: Array<{ name: string; registered: boolean }> }).coins;
}

const daemonStart = async (unit: string) =>
  Date.parse((await docker.getContainer(`${unit}-daemon`).inspect()).State.StartedAt);

beforeAll(async () => {
  env = await createEnv();
  ({ prefix, base } = await deployNodeUnits(env));
  jobs = await env.start(
    env.baseConfig({
      queueName: 'nodeheal',
      ...base.jobsConfig,
      daemonExtraArgs: ['-devblocktime=1', '-devwarmup=2'],
      readyTimeoutMs: 180_000,
      sweepEveryMs: 3_000,
      dependencyMaxDelayMs: 2_000,
      nodeUnitReadyTimeoutMs: 120_000,
    }),
    { events: true, sweep: true },
  );
  const spec = buildChainSpec(
    { entry: { ac_name: `NNU${env.id.toUpperCase()}`, ac_supply: '1000000' } },
    { image: DEVCHAIN_IMAGE },
  );
  chainId = spec.id;
  iguanaName = spec.identity.iguanaName;
  await env.state.chains.create(spec);
  const view = await waitForJob(jobs, await jobs.queue.addChain(spec.id, 'tester'), 240_000);
  expect(view.error).toBeNull();
});

afterAll(async () => {
  await jobs?.queue.queue.removeJobScheduler('reconcile-sweep').catch(() => undefined);
  if (env)
    await removeBaseUnits(env.runtime, prefix, { volumes: true, timeoutSec: 5 }).catch(() => undefined);
  await env?.cleanup();
});

describe("the node's own units are reconciled like chains", () => {
  it('LTC and KMD stopped, Iguana removed: all three come back in order, the chain stays ready and registered', async () => {
    expect((await iguanaCoins()).find((c) => c.name === iguanaName)?.registered).toBe(true);
    const names = { ltc: `${prefix}ltc`, kmd: `${prefix}kmd`, iguana: `${prefix}iguana` };
    const t0 = Date.now();
    // As an engine restart leaves them: Exited. Iguana's containers gone altogether (volume kept).
    for (const u of [names.iguana, names.kmd, names.ltc])
      for (const c of ['daemon', 'sidecar']) await docker.getContainer(`${u}-${c}`).stop({ t: 5 });
    for (const c of ['daemon', 'sidecar'])
      await docker.getContainer(`${names.iguana}-${c}`).remove({ force: true });

    await eventually(
      async () => {
        for (const u of Object.values(names))
          if ((await env.runtime.inspectUnit(u).catch(() => undefined))?.state !== 'running')
            return undefined;
        const chain = await env.state.chains.get(chainId);
        const coin = (await iguanaCoins()).find((c) => c.name === iguanaName);
        // Healed once the node units' repair records are cleared too: Iguana's is cleared by the
        // reconcile after it registers the chains again, a moment after the registration is visible.
        const repairs = [...(await env.state.repairs.all()).keys()].filter((k) => k.startsWith('unit:'));
        return chain.status === 'ready' && coin?.registered && repairs.length === 0 ? true : undefined;
      },
      HEAL_BOUND_MS,
      'node units back, their repairs done, the chain ready and registered with Iguana again',
      500,
    );
    console.log(`node units back and the chain registered again in ${Date.now() - t0} ms`);
    // Dependency order: the destination first, then KMD, then Iguana.
    const [ltc, kmd, iguana] = await Promise.all([names.ltc, names.kmd, names.iguana].map(daemonStart));
    expect(ltc).toBeLessThanOrEqual(kmd as number);
    expect(kmd).toBeLessThanOrEqual(iguana as number);
    // No chain.add beyond the first, nothing failed.
    const all = await jobs.queue.queue.getJobs(['completed', 'failed', 'waiting', 'delayed', 'active']);
    expect(all.filter((j) => j.name === 'chain.add')).toHaveLength(1);
    expect(await jobs.queue.queue.getJobs(['failed'])).toEqual([]);
    // One unit per role (two containers), the volumes kept.
    for (const u of Object.values(names)) {
      const owned = (await env.runtime.listOwned()).filter((r) => r.unit === u);
      expect(owned.filter((r) => r.kind === 'container')).toHaveLength(2);
      expect(owned.filter((r) => r.kind === 'volume').length).toBeGreaterThanOrEqual(1);
    }
  });
});

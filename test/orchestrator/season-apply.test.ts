import { createServer } from 'node:net';
import { loadNetwork, type Network } from '@nn/networks';
import { type BaseUnits, removeBaseUnits } from '@nn/node-units';
import { buildChainSpec, type ChainSpec } from '@nn/orchestrator-core';
import type { JobsConfigInput, JobsRuntime, SeasonResult } from '@nn/orchestrator-jobs';
import { ProcessTracker } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { docker } from '../helpers/docker.js';
import { runCrashWorker } from './crash-runner.js';
import { createEnv, DEVCHAIN_IMAGE, type Env, waitForJob } from './harness.js';
import { deployNodeUnits } from './node-units-env.js';

// A season change on the real engine: a devnet node's own units (LTC, KMD, Iguana: the stand-ins,
// recorded as desired state the way `nnctl up` records them) and two assetchains through the jobs. The
// season (the devnet file with its chain list and Iguana's addnotary peers changed) removes one chain
// and adds one. Its worker is killed in each of its steps (after the plan is frozen, while the removal
// runs, while the addition runs, after Iguana's desired state is written, after Iguana's restart before
// it is noted (restarted once all the same), ...), each time a fresh worker takes the job over, and
// the last one finishes it: the removed chain gone with its volume kept, the added one ready, the kept
// one untouched, Iguana replaced with the season's peer and every chain registered with it again, one
// chain job per chain. A season whose image no node has is refused in its first step with nothing
// changed.

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

let env: Env;
let base: BaseUnits;
let jobs: JobsRuntime;
let config: JobsConfigInput;
let prefix: string;
const workers = new ProcessTracker();
const specs: ChainSpec[] = [];

/** Four chains of random names whose derived ports differ from each other's. */
function chainSpecs(id: string): ChainSpec[] {
  const taken = new Set<number>();
  return ['A', 'B', 'C', 'D'].map((tag) => {
    for (let supply = 1_000_000; ; supply++) {
      const spec = buildChainSpec(
        { entry: { ac_name: `NNS${id.toUpperCase()}${tag}`, ac_supply: String(supply) } },
        { image: DEVCHAIN_IMAGE },
      );
      if (taken.has(spec.ports.p2p) || taken.has(spec.ports.rpc)) continue;
      taken.add(spec.ports.p2p).add(spec.ports.rpc);
      return spec;
    }
  });
}

/** A notary peer of the season's (deviguana records addnotary peers, it dials none). */
const PEER = '203.0.113.7';

/**
 * The devnet file with these assetchains, KMD's dpow only, and a new addnotary peer (the season's
 * network file): Iguana's spec changes, so its redeploy replaces it.
 */
function seasonOf(entries: ReadonlyArray<ChainSpec>): Network {
  const n = JSON.parse(JSON.stringify(loadNetwork('devnet').network)) as Network;
  n.assetchains.entries = entries.map((s) => s.entry);
  n.dpow = n.dpow.filter((d) => d.chain === 'KMD');
  if (n.iguana) n.iguana.addnotary = [PEER];
  return n;
}

async function iguanaCoins(): Promise<string[]> {
  const iguana = base.iguana;
  if (!iguana) throw new Error('the devnet layout has Iguana');
  const { readFileSync } = await import('node:fs');
  const token = readFileSync(iguana.viewerTokenFile, 'utf8').trim();
  const res = await fetch(`${iguana.endpoint}/v1/status`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5_000),
  });
  return ((await res.json()) as { coins: Array<{ name: string }> }).coins.map((c) => c.name).sort();
}

const daemonOf = async (unit: string) => (await docker.getContainer(`${unit}-daemon`).inspect()).State;

beforeAll(async () => {
  env = await createEnv();
  ({ prefix, base } = await deployNodeUnits(env));
  config = env.baseConfig({
    queueName: 'season',
    ...base.jobsConfig,
    daemonExtraArgs: ['-devblocktime=1', '-devwarmup=2'],
    readyTimeoutMs: 120_000,
    nodeUnitReadyTimeoutMs: 120_000,
    // Every crash below is one take-over of the same job (a stall); the default allows five.
    maxStalledCount: 10,
  });
  jobs = await env.start(config);
  specs.push(...chainSpecs(env.id));
  for (const spec of specs.slice(0, 2)) await env.state.chains.create(spec);
  const ids = await jobs.queue.addChains(specs.slice(0, 2).map((s) => ({ chainId: s.id })));
  for (const id of ids) expect((await waitForJob(jobs, id, 180_000)).error).toBeNull();
  // The season's jobs are the crash workers' and then a fresh worker's.
  await jobs.worker?.close();
});

afterAll(async () => {
  await workers.close(0);
  if (env)
    await removeBaseUnits(env.runtime, prefix, { volumes: true, timeoutSec: 5 }).catch(() => undefined);
  await env?.cleanup();
});

describe('season.apply on the real engine', () => {
  it('adds one chain and removes one, Iguana restarted, surviving its worker killed in each step', async () => {
    const [kept, removed, added] = specs as [ChainSpec, ChainSpec, ChainSpec];
    const keptDaemon = await daemonOf(`t${env.id}-${kept.id}`);
    const iguanaBefore = await docker.getContainer(`${prefix}iguana-daemon`).inspect();
    const t0 = Date.now();
    const jobId = await jobs.queue.applySeason({
      network: seasonOf([kept, added]) as unknown as Record<string, unknown>,
      keepData: true,
      requestedBy: 'tester',
    });
    // One crash in each of the season's steps (upgrade has nothing to do here, its look is still one).
    const crashes = [
      'validate|season-plan-frozen',
      'remove|season-checked',
      'add|season-checked',
      'upgrade|season-checked',
      'iguana|season-desired-written',
      // Iguana restarted (replaced by its new spec), its restart not noted yet.
      'iguana|season-iguana-restarted',
      'register|season-checked',
    ];
    let restarted: { Id: string; State: { StartedAt: string } } | undefined;
    for (const at of crashes) {
      const crashed = await runCrashWorker(workers, env, config as Record<string, unknown>, at);
      const [step, point] = at.split('|');
      expect(crashed.stderr).toContain(`crashing at ${step} / ${point}`);
      expect(crashed.signal === 'SIGKILL' || crashed.code === 137).toBe(true);
      if (at === 'iguana|season-iguana-restarted')
        restarted = await docker.getContainer(`${prefix}iguana-daemon`).inspect();
    }
    const recovery = await env.start(config);
    const view = await waitForJob(recovery, jobId, 180_000);
    expect(view.error).toBeNull();
    expect(view.state).toBe('completed');
    console.log(`season applied through ${crashes.length} crashes in ${Date.now() - t0} ms`);
    const result = view.result as SeasonResult;
    expect(result).toMatchObject({ added: [added.id], removed: [removed.id], upgraded: [], keptData: true });
    expect(result.iguanaRestarted).toBe(true);
    expect(result.iguana).toEqual(['addnotary']);
    // Iguana's part of the node units' desired state is the season's (what reconcile deploys it from).
    const desired = (await env.state.nodeUnits.getDesired()) as { layout: { addnotary?: string[] } };
    expect(desired.layout.addnotary).toEqual([PEER]);

    // The desired state and the units: the removed chain gone with its volume kept, the added ready.
    expect((await env.state.chains.list()).map((c) => [c.spec.id, c.status]).sort()).toEqual(
      [
        [added.id, 'ready'],
        [kept.id, 'ready'],
      ].sort(),
    );
    const owned = await env.runtime.listOwned();
    const of = (id: string, kind: string) =>
      owned.filter((r) => r.unit === `t${env.id}-${id}` && r.kind === kind).map((r) => r.name);
    expect(of(removed.id, 'container')).toEqual([]);
    expect(of(removed.id, 'volume')).toEqual([`t${env.id}-${removed.id}-data`]);
    expect(of(added.id, 'container')).toHaveLength(2);
    // The kept chain was not touched; Iguana was replaced by its new spec (a new daemon container).
    const keptAfter = await daemonOf(`t${env.id}-${kept.id}`);
    expect(keptAfter.StartedAt).toBe(keptDaemon.StartedAt);
    const iguanaAfter = await docker.getContainer(`${prefix}iguana-daemon`).inspect();
    expect(iguanaAfter.Id).not.toBe(iguanaBefore.Id);
    expect(iguanaAfter.State.Running).toBe(true);
    // Restarted once: the run after the crash that followed the restart found it done (the same
    // container, started at the same time).
    expect([iguanaAfter.Id, iguanaAfter.State.StartedAt]).toEqual([
      restarted?.Id,
      restarted?.State.StartedAt,
    ]);
    // Iguana lists the chains of the season, the removed one no longer.
    const coins = await iguanaCoins();
    expect(coins).toContain(kept.identity.iguanaName);
    expect(coins).toContain(added.identity.iguanaName);
    expect(coins).not.toContain(removed.identity.iguanaName);
    // One chain job per chain, whatever the crashes: ids made from the season job's.
    const all = await recovery.queue.queue.getJobs(['completed', 'failed', 'waiting', 'delayed', 'active']);
    const named = (name: string, chainId: string) =>
      all.filter((j) => j.name === name && j.data?.chainId === chainId);
    expect(named('chain.add', added.id)).toHaveLength(1);
    expect(named('chain.remove', removed.id)).toHaveLength(1);
    expect(all.filter((j) => j.name === 'season.apply')).toHaveLength(1);

    // The same season again: nothing to do, nothing restarted.
    const again = await recovery.queue.applySeason({
      network: seasonOf([kept, added]) as unknown as Record<string, unknown>,
      keepData: true,
    });
    const second = await waitForJob(recovery, again, 60_000);
    expect(second.error).toBeNull();
    expect(second.result).toMatchObject({
      added: [],
      removed: [],
      upgraded: [],
      iguana: [],
      iguanaRestarted: false,
    });
    expect((await docker.getContainer(`${prefix}iguana-daemon`).inspect()).Id).toBe(iguanaAfter.Id);

    // A season whose assetchain image no node has: refused in its first step, before any change.
    const missing = seasonOf([kept, added]);
    missing.assetchains.image = { ...missing.assetchains.image, ref: 'nn/no-such-devchain:0.0.1' };
    missing.assetchains.image.standIn = missing.assetchains.image.ref;
    const jobsBefore = (await recovery.queue.queue.getJobs(['completed', 'failed'])).length;
    const refused = await waitForJob(
      recovery,
      await recovery.queue.applySeason({
        network: missing as unknown as Record<string, unknown>,
        keepData: true,
      }),
      60_000,
    );
    expect(refused.state).toBe('failed');
    expect(refused.error?.message).toMatch(
      /^validate: network\.assetchains\.image: image "nn\/no-such-devchain:0\.0\.1" is not on node "local"/,
    );
    expect((await env.state.chains.list()).map((c) => [c.spec.id, c.spec.image, c.status]).sort()).toEqual(
      [
        [added.id, DEVCHAIN_IMAGE, 'ready'],
        [kept.id, DEVCHAIN_IMAGE, 'ready'],
      ].sort(),
    );
    // No chain job queued by it: only the refused season itself is new.
    expect((await recovery.queue.queue.getJobs(['completed', 'failed'])).length).toBe(jobsBefore + 1);
  });

  it("fails with the chain job's reason when an added chain cannot start, the other chains untouched", async () => {
    const [kept, , added, blocked] = specs as [ChainSpec, ChainSpec, ChainSpec, ChainSpec];
    // Something outside the orchestrator holds the new chain's p2p port on the host.
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(blocked.ports.p2p, '0.0.0.0', r));
    try {
      const worker = await env.start(config);
      const view = await waitForJob(
        worker,
        await worker.queue.applySeason({
          network: seasonOf([kept, added, blocked]) as unknown as Record<string, unknown>,
          keepData: true,
        }),
        120_000,
      );
      expect(view.state).toBe('failed');
      expect(view.error?.message).toMatch(new RegExp(`^add: chain\\.add of ${blocked.id} failed: `));
      expect(view.error?.message).toContain(String(blocked.ports.p2p));
      // The chain's own rollback left it failed with the reason; the others are as they were.
      const chains = new Map((await env.state.chains.list()).map((c) => [c.spec.id, c.status]));
      expect(chains.get(blocked.id)).toBe('failed');
      expect(chains.get(kept.id)).toBe('ready');
      expect(chains.get(added.id)).toBe('ready');
      expect(
        (await env.runtime.listOwned()).filter(
          (r) => r.unit === `t${env.id}-${blocked.id}` && r.kind === 'container',
        ),
      ).toEqual([]);
    } finally {
      await new Promise<void>((r) => holder.close(() => r()));
    }
  });
});

import { readFileSync } from 'node:fs';
import { type BaseUnits, parseNodeUnitsDesired, removeBaseUnits } from '@nn/node-units';
import { apiHarness, bearer, OPERATOR_KEY } from '@nn/orchestrator-api/testing';
import { buildChainSpec, type NodeUpgradeImages, nodeUpgradeImagesSchema } from '@nn/orchestrator-core';
import type { JobsConfigInput, JobsRuntime } from '@nn/orchestrator-jobs';
import { freePorts, ProcessTracker } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { docker } from '../helpers/docker.js';
import { crashThenRecover } from './crash-runner.js';
import { createEnv, DEVCHAIN_IMAGE, type Env, waitForJob } from './harness.js';
import { deployNodeUnits } from './node-units-env.js';

// node.upgrade (issue 16 item 4) on the real engine: a devnet node's LTC, KMD and Iguana units (the
// stand-in images, Iguana's real sidecar) recorded as desired state the way `nnctl up` records them, one
// assetchain added through the jobs and registered with Iguana. The "new" images are the same images
// under this run's own tags, so every unit really is recreated from another image reference. Checked:
// a missing image is refused before any change (the API's 400 and the job's preflight); the whole
// node upgraded in the dPoW order with the reconcile sweeping meanwhile and never bringing Iguana back
// early; a daemon that never gets ready rolled back with Iguana started again; a worker killed with
// Iguana and LTC stopped, and a fresh worker finishing the job.

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const IGUANA_IMAGE = 'nn/deviguana:0.1.0';

let env: Env;
let base: BaseUnits;
let jobs: JobsRuntime;
let config: JobsConfigInput;
let chainId: string;
let chainUnit: string;
let iguanaName: string;
let prefix: string;
let names: { ltc: string; kmd: string; iguana: string };
const tags: string[] = [];
/** Every checkpoint of a node.upgrade the in-process worker passed: `step|point|unit or chain`. */
const points: string[] = [];

/** The image under another tag of this run (a different reference, the same content). */
async function retag(image: string, tag: string): Promise<string> {
  const repo = image.slice(0, image.lastIndexOf(':'));
  await docker.getImage(image).tag({ repo, tag });
  tags.push(`${repo}:${tag}`);
  return `${repo}:${tag}`;
}

const daemonImage = async (unit: string) =>
  (await docker.getContainer(`${unit}-daemon`).inspect()).Config.Image;
const daemonStart = async (unit: string) =>
  Date.parse((await docker.getContainer(`${unit}-daemon`).inspect()).State.StartedAt);
const running = async (unit: string) => (await env.runtime.inspectUnit(unit).catch(() => undefined))?.state;
const images = (v: Record<string, string>): NodeUpgradeImages => nodeUpgradeImagesSchema.parse(v);
/** The data volumes of the node's units and the chain (kept by every upgrade: wallets and blocks live there). */
const volumes = async () =>
  (await env.runtime.listOwned())
    .filter((r) => r.kind === 'volume' && (r.unit.startsWith(prefix) || r.unit === chainUnit))
    .map((r) => r.name)
    .sort();
const desiredImages = async () => parseNodeUnitsDesired(await env.state.nodeUnits.getDesired()).layout.images;

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

beforeAll(async () => {
  env = await createEnv();
  ({ prefix, base } = await deployNodeUnits(env));
  names = { ltc: `${prefix}ltc`, kmd: `${prefix}kmd`, iguana: `${prefix}iguana` };
  const _ports = await freePorts('ltc', 'kmd', 'iguana');
  config = env.baseConfig({
    queueName: 'nodeup',
    ...base.jobsConfig,
    daemonExtraArgs: ['-devblocktime=1', '-devwarmup=2'],
    readyTimeoutMs: 60_000,
    sweepEveryMs: 2_000,
    nodeUnitReadyTimeoutMs: 60_000,
  });
  jobs = await env.start(config, {
    sweep: true,
    hooks: { at: (p) => void (p.job === 'node.upgrade' && points.push(`${p.step}|${p.point}|${p.chainId}`)) },
  });
  const spec = buildChainSpec(
    { entry: { ac_name: `NUP${env.id.toUpperCase()}`, ac_supply: '1000000' } },
    { image: DEVCHAIN_IMAGE },
  );
  chainId = spec.id;
  chainUnit = `t${env.id}-${spec.id}`;
  iguanaName = spec.identity.iguanaName;
  await env.state.chains.create(spec);
  const view = await waitForJob(jobs, await jobs.queue.addChain(spec.id, 'tester'), 180_000);
  expect(view.error).toBeNull();
});

afterAll(async () => {
  await jobs?.queue.queue.removeJobScheduler('reconcile-sweep').catch(() => undefined);
  if (env)
    await removeBaseUnits(env.runtime, prefix, { volumes: true, timeoutSec: 5 }).catch(() => undefined);
  await env?.cleanup();
  for (const tag of tags)
    await docker
      .getImage(tag)
      .remove()
      .catch(() => undefined);
});

describe('nnctl upgrade: node.upgrade on the real engine', () => {
  it('an image no node has is refused before any change: a 400 from the API, and by the job itself', async () => {
    const startedBefore = await Promise.all(Object.values(names).map(daemonStart));
    const desiredBefore = await env.state.nodeUnits.getDesired();
    const api = await apiHarness({ runtime: env.runtime });
    try {
      await api.state.nodeUnits.putDesired(desiredBefore as Record<string, unknown>);
      const res = await api.app.inject({
        method: 'POST',
        url: '/v1/node/upgrade',
        headers: bearer(OPERATOR_KEY),
        payload: { images: { main: 'nn/devchain:no-such-tag', iguana: IGUANA_IMAGE } },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('images.main');
      expect(res.json().error.message).toContain('image "nn/devchain:no-such-tag" is not on node "local"');
      expect(await api.countJobs()).toBe(0);
    } finally {
      await api.close();
    }
    // The job's preflight refuses it the same way (the state may have moved since the API looked).
    const view = await waitForJob(
      jobs,
      await jobs.queue.upgradeNode(images({ main: 'nn/devchain:no-such-tag' })),
    );
    expect(view.state).toBe('failed');
    expect(view.attemptsMade).toBe(1);
    expect(view.error?.message).toMatch(
      /^preflight: images.main: image "nn\/devchain:no-such-tag" is not on node/,
    );
    expect(await Promise.all(Object.values(names).map(daemonStart))).toEqual(startedBefore);
    expect(await env.state.nodeUnits.getDesired()).toEqual(desiredBefore);
    expect(points.filter((p) => p.startsWith('stop-iguana'))).toEqual([]);
  });

  it('upgrades the whole node in the dPoW order, the reconcile never bringing Iguana back early', async () => {
    const next = await retag(DEVCHAIN_IMAGE, `t${env.id}-next`);
    const nextIguana = await retag(IGUANA_IMAGE, `t${env.id}-next`);
    points.length = 0;
    const logsFrom = env.logs.length;
    const t0 = Date.now();
    const id = await jobs.queue.upgradeNode(
      images({ destination: next, main: next, iguana: nextIguana, assetchains: next }),
    );
    const view = await waitForJob(jobs, id, 240_000);
    const finished = Date.now();
    console.log(`whole-node upgrade (LTC, KMD, one chain, Iguana) in ${finished - t0} ms`);
    expect(view.error).toBeNull();
    expect(view.result).toMatchObject({
      upgraded: ['destination', 'main', `chain:${chainId}`],
      already: [],
      iguana: { from: IGUANA_IMAGE, to: nextIguana },
      registered: 1,
      // The job waits until Iguana itself has the chain, not only its sidecar.
      notRegistered: [],
    });
    // Every daemon runs its new image; the desired state and the chain's spec say so.
    expect(await daemonImage(names.ltc)).toBe(next);
    expect(await daemonImage(names.kmd)).toBe(next);
    expect(await daemonImage(chainUnit)).toBe(next);
    expect(await daemonImage(names.iguana)).toBe(nextIguana);
    expect(await desiredImages()).toMatchObject({
      ltcDaemon: next,
      kmdDaemon: next,
      iguanaDaemon: nextIguana,
    });
    const chain = await env.state.chains.get(chainId);
    expect([chain.spec.image, chain.status]).toEqual([next, 'ready']);
    // The order: Iguana stopped first, the daemons one at a time, unlock, Iguana last, then register.
    const order = [
      `stop-iguana|stopped|${names.iguana}`,
      `wait-ready|ready|${names.ltc}`,
      `wait-ready|ready|${names.kmd}`,
      `wait-ready|ready|${chainId}`,
      'unlock|unlocked',
      `start-iguana|deployed|${names.iguana}`,
      `start-iguana|ready|${names.iguana}`,
      `register|registered|${chainId}`,
    ];
    const at = order.map((o) => points.findIndex((p) => p.startsWith(o)));
    expect(
      at.every((i) => i >= 0),
      points.join('\n'),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const [ltc, kmd, ac, iguana] = await Promise.all(
      [names.ltc, names.kmd, chainUnit, names.iguana].map(daemonStart),
    );
    expect(ltc).toBeLessThan(kmd as number);
    expect(kmd).toBeLessThan(ac as number);
    expect(ac).toBeLessThan(iguana as number);
    // The sweep ran meanwhile (every 2 s) and found the node units' lease held: no redeploy of Iguana.
    const sweeps = (await jobs.queue.queue.getJobs(['completed']))
      .filter((j) => j.name === 'reconcile' && (j.finishedOn ?? 0) > t0 && (j.finishedOn ?? 0) < finished)
      .map((j) => (j.returnvalue as { nodeUnits?: { outcome?: string } } | null)?.nodeUnits?.outcome);
    expect(sweeps).toContain('busy');
    expect(env.logs.slice(logsFrom).join('')).not.toContain('node unit is not running: deploying it again');
    expect((await iguanaCoins()).find((c) => c.name === iguanaName)?.registered).toBe(true);
    const failed = (await jobs.queue.queue.getJobs(['failed'])).filter((j) => j.name === 'node.upgrade');
    expect(failed).toHaveLength(1); // the refused one above
  });

  it('a daemon that never gets ready is rolled back; Iguana is started again on its image and the job fails', async () => {
    const before = await desiredImages();
    // Its own queue and worker, with a short readiness bound (the devchain units are ready in seconds).
    const quick = await env.start({ ...config, queueName: 'nodeup-rb', readyTimeoutMs: 15_000 });
    const view = await waitForJob(
      quick,
      // The sidecar's image cannot run devchain's command line: recreated, never ready.
      await quick.queue.upgradeNode(images({ main: 'nn/chain-sidecar:0.1.0' })),
      240_000,
    );
    await quick.worker?.close();
    expect(view.state).toBe('failed');
    expect(view.error?.message).toContain(`main (${names.kmd}): upgrade to nn/chain-sidecar:0.1.0 failed: `);
    expect(view.error?.message).toContain(`rolled back to ${before.kmdDaemon}`);
    expect(view.error?.message).toContain(`Iguana started again on ${before.iguanaDaemon}`);
    expect(await daemonImage(names.kmd)).toBe(before.kmdDaemon);
    expect(await desiredImages()).toEqual(before);
    for (const u of Object.values(names)) expect(await running(u)).toBe('running');
  });

  it('a worker killed with Iguana and LTC stopped: a fresh worker finishes the upgrade from the noted plan', async () => {
    await jobs.worker?.close();
    await jobs.queue.queue.removeJobScheduler('reconcile-sweep');
    const before = await desiredImages();
    const volumesBefore = await volumes();
    const crashConfig = { ...config, queueName: 'nodeup-crash' };
    const producer = await env.start(crashConfig, { worker: false });
    const id = await producer.queue.upgradeNode(
      images({ destination: DEVCHAIN_IMAGE, main: DEVCHAIN_IMAGE, iguana: IGUANA_IMAGE }),
    );
    const workers = new ProcessTracker();
    try {
      const { view } = await crashThenRecover(workers, env, crashConfig, 'stop|stopped', id);
      expect(view.result).toMatchObject({
        upgraded: ['destination', 'main'],
        iguana: { from: before.iguanaDaemon, to: IGUANA_IMAGE },
      });
    } finally {
      await workers.close(0);
    }
    expect(await desiredImages()).toMatchObject({
      ltcDaemon: DEVCHAIN_IMAGE,
      kmdDaemon: DEVCHAIN_IMAGE,
      iguanaDaemon: IGUANA_IMAGE,
    });
    expect(await daemonImage(names.ltc)).toBe(DEVCHAIN_IMAGE);
    expect(await daemonImage(names.iguana)).toBe(IGUANA_IMAGE);
    // One unit per role, never a second pair of containers; the chain still ready and registered.
    for (const u of [...Object.values(names), chainUnit]) {
      const owned = (await env.runtime.listOwned()).filter((r) => r.unit === u && r.kind === 'container');
      expect(owned, u).toHaveLength(2);
      expect(await running(u)).toBe('running');
    }
    expect(await volumes()).toEqual(volumesBefore);
    expect((await env.state.chains.get(chainId)).status).toBe('ready');
    expect((await iguanaCoins()).find((c) => c.name === iguanaName)?.registered).toBe(true);
  });

  it('a worker killed after Iguana was redeployed: the fresh worker keeps the daemons done and finishes Iguana', async () => {
    const next = `nn/devchain:t${env.id}-next`;
    const nextIguana = `nn/deviguana:t${env.id}-next`;
    const crashConfig = { ...config, queueName: 'nodeup-crash2' };
    const producer = await env.start(crashConfig, { worker: false });
    const id = await producer.queue.upgradeNode(images({ main: next, iguana: nextIguana }));
    const workers = new ProcessTracker();
    try {
      const { view } = await crashThenRecover(workers, env, crashConfig, 'start-iguana|deployed', id);
      // The crashed run upgraded KMD and wrote it down: the fresh run finds it done.
      expect(view.result).toMatchObject({
        upgraded: [],
        already: ['main'],
        iguana: { from: IGUANA_IMAGE, to: nextIguana },
      });
    } finally {
      await workers.close(0);
    }
    expect(await desiredImages()).toMatchObject({ kmdDaemon: next, iguanaDaemon: nextIguana });
    expect(await daemonImage(names.iguana)).toBe(nextIguana);
    for (const u of [...Object.values(names), chainUnit]) {
      const owned = (await env.runtime.listOwned()).filter((r) => r.unit === u && r.kind === 'container');
      expect(owned, u).toHaveLength(2);
      expect(await running(u)).toBe('running');
    }
    expect((await iguanaCoins()).find((c) => c.name === iguanaName)?.registered).toBe(true);
  });
});

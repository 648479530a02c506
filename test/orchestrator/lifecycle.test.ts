import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildChainSpec, JOB_STEPS } from '@nn/orchestrator-core';
import type { JobsConfigInput, JobsRuntime } from '@nn/orchestrator-jobs';
import { eventually } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, execIn } from '../helpers/docker.js';
import {
  createEnv,
  DEVCHAIN_IMAGE,
  dumpKeys,
  type Env,
  type FakeIguana,
  fakeIguana,
  type KmdUnit,
  sidecarRpc,
  startKmd,
  unitResources,
  waitForJob,
} from './harness.js';

// A chain's whole life through the jobs, on the real engine and Redis: chain.add (with the KMD bridge,
// the notary key and Iguana registration), reconcile by events and by sweep, restart, upgrade (and its
// refusals and rollback), remove.

let env: Env;
let kmd: KmdUnit;
let iguana: FakeIguana;
let config: JobsConfigInput;
let jobs: JobsRuntime;
const steps: string[] = [];
let acName: string;
let chainId: string;
let unit: string;

const secretsOf = () => {
  const dir = join(env.dir, 'secrets', 'chains', chainId);
  return {
    rpcpassword: readFileSync(join(dir, 'rpcpassword'), 'utf8').trim(),
    viewer: readFileSync(join(dir, 'viewer.token'), 'utf8').trim(),
    operator: readFileSync(join(dir, 'operator.token'), 'utf8').trim(),
  };
};

beforeAll(async () => {
  env = await createEnv();
  kmd = await startKmd(env);
  iguana = await fakeIguana(env.dir);
  config = env.baseConfig({
    queueName: 'life',
    kmd: { sidecarUrl: kmd.sidecarUrl, viewerTokenFile: kmd.viewerTokenFile },
    iguana: {
      url: iguana.url,
      operatorTokenFile: iguana.tokenFile,
      node: 'local',
      volume: `t${env.id}-iguana-data`,
    },
  });
  // The Iguana unit's volume (the real one is made by `nnctl up`): the chain's token is put there.
  await env.runtime.ensureVolume('local', `t${env.id}-iguana-data`, `t${env.id}-iguana`);
  jobs = await env.start(config, {
    hooks: {
      at: ({ step }) => {
        if (steps.at(-1) !== step) steps.push(step);
      },
    },
  });
  acName = `NNL${env.id.toUpperCase()}`;
  const spec = buildChainSpec(
    { entry: { ac_name: acName, ac_supply: '1000000' } },
    { image: DEVCHAIN_IMAGE },
  );
  chainId = spec.id;
  unit = `t${env.id}-${chainId}`;
  await env.state.chains.create(spec);
});

afterAll(async () => {
  await iguana?.close();
  await env?.cleanup();
});

describe('chain jobs on the real engine', () => {
  it('chain.add places, provisions, starts, waits for readiness, imports the key and registers', async () => {
    const t0 = Date.now();
    const id = await jobs.queue.addChain(chainId as never, 'tester');
    const view = await waitForJob(jobs, id);
    expect(view.error).toBeNull();
    expect(view.state).toBe('completed');
    expect(view.progress).toEqual({ step: 'done', index: 11, total: 11 });
    console.log(`chain.add took ${Date.now() - t0} ms`);
    // Every step with a checkpoint was passed, in order.
    expect(steps).toEqual(JOB_STEPS['chain.add'].filter((s) => s !== 'done'));

    const chain = await env.state.chains.get(chainId);
    expect(chain.status).toBe('ready');
    expect(chain.placement?.node).toBe('local');
    expect(await unitResources(env.runtime, unit)).toEqual({
      containers: [`${unit}-daemon`, `${unit}-sidecar`],
      volumes: [`${unit}-data`],
    });
    const handle = await env.runtime.inspectUnit(unit);
    expect(handle.state).toBe('running');
    expect(handle.endpoint).toBe(`http://127.0.0.1:${chain.placement?.sidecarPort}`);
    expect((await fetch(`${handle.endpoint}/readyz`)).status).toBe(200);

    // The notary key is in the wallet (imported without rescan through the operator token).
    const s = secretsOf();
    const valid = await sidecarRpc(handle.endpoint as string, s.viewer, 'validateaddress', [
      env.notary.address,
    ]);
    expect((valid.result as { ismine: boolean }).ismine).toBe(true);
    // The daemon runs with -pubkey and the conf the orchestrator wrote (mode 600, our password).
    const daemon = await docker.getContainer(`${unit}-daemon`).inspect();
    expect(daemon.Args).toContain(`-pubkey=${env.notary.pubkey}`);
    const conf = `/data/.komodo/${acName}/${acName}.conf`;
    const mode = await execIn(`${unit}-daemon`, [
      'node',
      '-e',
      `const f=require('fs');const p=${JSON.stringify(conf)};process.stdout.write((f.statSync(p).mode&0o777).toString(8)+' '+f.readFileSync(p,'utf8').includes(${JSON.stringify(s.rpcpassword)}))`,
    ]);
    expect(mode.stdout).toBe('600 true');

    // The KMD bridge works: the assetchain sees KMD's height through its sidecar's loopback bridge.
    await eventually(
      async () => {
        const info = await sidecarRpc(handle.endpoint as string, s.viewer, 'getinfo');
        return ((info.result as { KMDnotarized_height?: number }).KMDnotarized_height ?? 0) > 0
          ? true
          : undefined;
      },
      60_000,
      'KMDnotarized_height through the bridge',
    );

    // Registered with Iguana, which reaches the chain's sidecar on the cluster network.
    expect(iguana.added).toEqual([
      {
        kind: 'assetchain',
        name: acName,
        upstream: `http://${unit}-sidecar:8080`,
        tokenFile: `/data/nn/coins/${chainId}.token`,
        assetchain: { ac_name: acName, ac_supply: '1000000' },
      },
    ]);
  });

  it('keeps secrets out of job data, Redis, logs and the unit spec', async () => {
    const s = secretsOf();
    const secrets = [
      s.rpcpassword,
      s.viewer,
      s.operator,
      env.notary.wif,
      readFileSync(kmd.viewerTokenFile, 'utf8').trim(),
      iguana.token,
    ];
    const jobsList = await jobs.queue.queue.getJobs(['completed', 'failed', 'waiting', 'delayed', 'active']);
    expect(jobsList.length).toBeGreaterThan(0);
    const allowed = ['chainId', 'requestedBy', 'keepData', 'reason', 'image', 'trigger'];
    for (const job of jobsList) {
      for (const key of Object.keys(job.data)) expect(allowed).toContain(key);
      for (const secret of secrets) expect(JSON.stringify([job.data, job.progress])).not.toContain(secret);
    }
    const redisText = await dumpKeys(env.redis, [env.statePrefix, env.queuePrefix]);
    expect(redisText).toContain(chainId); // the dump is real: it holds the state
    const logText = env.logs.join('');
    expect(logText).toContain('"chainId"');
    const sidecar = await docker.getContainer(`${unit}-sidecar`).inspect();
    const daemon = await docker.getContainer(`${unit}-daemon`).inspect();
    const inspectText = JSON.stringify([
      sidecar.Config,
      daemon.Config,
      sidecar.HostConfig,
      daemon.HostConfig,
    ]);
    for (const secret of secrets) {
      expect(redisText).not.toContain(secret);
      expect(logText).not.toContain(secret);
      expect(inspectText).not.toContain(secret);
    }
  });

  it('reconcile (events): a unit whose daemon container is removed comes back', async () => {
    const events = await env.start(config, { worker: false, events: true });
    const eventJobs = await env.start({ ...config }, { worker: true, events: true });
    const before = await docker.getContainer(`${unit}-daemon`).inspect();
    const t0 = Date.now();
    await docker.getContainer(`${unit}-daemon`).remove({ force: true });
    // The chain is ready again once the follow-up chain.restart (requested by reconcile: a chain that
    // came up once is repaired, never added again) has completed: the job writes the ready status a
    // moment before BullMQ marks it completed, so wait for both.
    const after = await eventually(
      async () => {
        const h = await env.runtime.inspectUnit(unit);
        const chain = await env.state.chains.get(chainId);
        const redeployed = (await jobs.queue.queue.getJobs(['completed'])).some(
          (j) => j.name === 'chain.restart' && j.data.requestedBy === 'reconcile',
        );
        return h.state === 'running' && h.daemon?.id !== before.Id && chain.status === 'ready' && redeployed
          ? h
          : undefined;
      },
      120_000,
      'the unit redeployed by reconcile',
    );
    console.log(`reconcile (event) brought the unit back in ${Date.now() - t0} ms`);
    expect(after.daemon?.id).not.toBe(before.Id);
    const done = await jobs.queue.queue.getJobs(['completed']);
    expect(done.some((j) => j.name === 'chain.restart' && j.data.requestedBy === 'reconcile')).toBe(true);
    expect(done.some((j) => j.name === 'chain.add' && j.data.requestedBy === 'reconcile')).toBe(false);
    expect(done.some((j) => j.name === 'reconcile' && j.data.trigger === 'event')).toBe(true);
    expect(await unitResources(env.runtime, unit)).toEqual({
      containers: [`${unit}-daemon`, `${unit}-sidecar`],
      volumes: [`${unit}-data`],
    });
    await events.close();
    await eventJobs.close();
  });

  it('reconcile (sweep): a unit whose containers all vanished comes back, data kept', async () => {
    const sweeper = await env.start(config, { worker: true, events: false, sweep: true });
    const t0 = Date.now();
    for (const c of ['daemon', 'sidecar']) await docker.getContainer(`${unit}-${c}`).remove({ force: true });
    await eventually(
      async () => {
        const h = await env.runtime.inspectUnit(unit).catch(() => undefined);
        const chain = await env.state.chains.get(chainId);
        return h?.state === 'running' && chain.status === 'ready' ? h : undefined;
      },
      120_000,
      'the unit redeployed by the sweep',
    );
    console.log(`reconcile (sweep) brought the unit back in ${Date.now() - t0} ms`);
    const done = await jobs.queue.queue.getJobs(['completed']);
    expect(done.some((j) => j.name === 'reconcile' && j.data.trigger === 'sweep')).toBe(true);
    // The wallet survived (same volume): the notary key is still there.
    const h = await env.runtime.inspectUnit(unit);
    const valid = await sidecarRpc(h.endpoint as string, secretsOf().viewer, 'validateaddress', [
      env.notary.address,
    ]);
    expect((valid.result as { ismine: boolean }).ismine).toBe(true);
    await jobs.queue.queue.removeJobScheduler('reconcile-sweep');
    await sweeper.close();
  });

  it('chain.restart stops gracefully and brings the chain back to ready', async () => {
    const before = await docker.getContainer(`${unit}-daemon`).inspect();
    const view = await waitForJob(jobs, await jobs.queue.restartChain(chainId as never, { reason: 'test' }));
    expect(view.error).toBeNull();
    expect(view.progress).toMatchObject({ step: 'done', index: 5, total: 5 });
    const after = await docker.getContainer(`${unit}-daemon`).inspect();
    expect(after.Id).toBe(before.Id);
    expect(Date.parse(after.State.StartedAt)).toBeGreaterThan(Date.parse(before.State.StartedAt));
    expect((await env.state.chains.get(chainId)).status).toBe('ready');
  });

  it('chain.upgrade moves to a new image health-gated; a missing image changes nothing', async () => {
    const view = await waitForJob(
      jobs,
      await jobs.queue.upgradeChain(chainId as never, 'nn/devchain:latest' as never),
    );
    expect(view.error).toBeNull();
    expect(view.result).toMatchObject({ from: DEVCHAIN_IMAGE, to: 'nn/devchain:latest' });
    expect((await env.state.chains.get(chainId)).spec.image).toBe('nn/devchain:latest');
    expect((await docker.getContainer(`${unit}-daemon`).inspect()).Config.Image).toBe('nn/devchain:latest');

    const before = await docker.getContainer(`${unit}-daemon`).inspect();
    const missing = await waitForJob(
      jobs,
      await jobs.queue.upgradeChain(chainId as never, 'nn/devchain:no-such-tag' as never),
    );
    expect(missing.state).toBe('failed');
    expect(missing.error?.message).toMatch(
      /^images: image "nn\/devchain:no-such-tag" is not on node "local"/,
    );
    expect(missing.attemptsMade).toBe(1);
    expect((await docker.getContainer(`${unit}-daemon`).inspect()).Id).toBe(before.Id);
    expect((await env.state.chains.get(chainId)).status).toBe('ready');
  });

  it('chain.upgrade to an image that never gets ready rolls back to the previous image', async () => {
    // A separate queue whose workers give readiness 15 s: the sidecar image cannot run komodod's flags.
    const quick = await env.start({ ...config, queueName: 'life-quick', readyTimeoutMs: 15_000 });
    const t0 = Date.now();
    const view = await waitForJob(
      quick,
      await quick.queue.upgradeChain(chainId as never, 'nn/chain-sidecar:0.1.0' as never),
    );
    console.log(`failed upgrade + rollback took ${Date.now() - t0} ms`);
    expect(view.state).toBe('failed');
    expect(view.error?.message).toMatch(
      /upgrade to nn\/chain-sidecar:0.1.0 failed: not ready after 15 s: .*; rolled back to nn\/devchain:latest/,
    );
    const chain = await env.state.chains.get(chainId);
    expect(chain.spec.image).toBe('nn/devchain:latest');
    expect(chain.status, chain.statusReason).toBe('ready');
    expect(chain.statusReason).toMatch(/rolled back to nn\/devchain:latest/);
    const h = await env.runtime.inspectUnit(unit);
    expect(h.state).toBe('running');
    expect(h.daemon?.image).toBe('nn/devchain:latest');
    await quick.close();
  });

  it('chain.remove deregisters, stops, deletes the unit, its data and its state', async () => {
    const view = await waitForJob(jobs, await jobs.queue.removeChain(chainId as never, { keepData: false }));
    expect(view.error).toBeNull();
    expect(view.progress).toMatchObject({ step: 'done', index: 6, total: 6 });
    expect(iguana.removed).toEqual([acName]);
    expect(await unitResources(env.runtime, unit)).toEqual({ containers: [], volumes: [] });
    expect(await env.state.chains.find(chainId)).toBeUndefined();
    expect((await env.state.nodes.usage('local')).chains).toBe(0);
    expect(() => readFileSync(join(env.dir, 'secrets', 'chains', chainId, 'rpcpassword'))).toThrow();
  });
});

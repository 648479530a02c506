import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { buildChainSpec } from '@nn/orchestrator-core';
import type { JobsConfigInput, JobsRuntime } from '@nn/orchestrator-jobs';
import { eventually } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { docker } from '../helpers/docker.js';
import { createEnv, DEVCHAIN_IMAGE, type Env, type FakeIguana, fakeIguana, waitForJob } from './harness.js';

// No permanent failure from a transient cause (issue 15, item 2), on the real engine, Redis and BullMQ:
// a chain.add whose Iguana does not answer waits with a capped backoff (delayed, no attempt used,
// nothing rolled back, its repair record saying why and when) and completes once Iguana is back; an
// Iguana that lost its coins gets the chain registered again by the sweep (item 3); a ready chain whose
// unit vanished is restarted, never added again.

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

/** A TCP gate in front of the fake Iguana: while closed, every connection is reset (Iguana down). */
interface Gate {
  readonly url: string;
  open: boolean;
  close(): Promise<void>;
}

async function gate(target: string): Promise<Gate> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const g = { open: true } as { open: boolean };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (!g.open) {
      client.resetAndDestroy();
      return;
    }
    const up = tcpConnect(Number(port), hostname);
    client.pipe(up).pipe(client);
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no gate address');
  return Object.assign(g, {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  });
}

let env: Env;
let iguana: FakeIguana;
let door: Gate;
let config: JobsConfigInput;
let jobs: JobsRuntime;
let chainId: string;
let acName: string;
let unit: string;

beforeAll(async () => {
  env = await createEnv();
  iguana = await fakeIguana(env.dir);
  // What the Iguana sidecar lists is what was registered since it (re)started.
  Object.defineProperty(iguana, 'coins', {
    get: () => iguana.added.map((c) => ({ name: c.name, registered: true, notaryUtxos: null })),
  });
  door = await gate(iguana.url);
  config = env.baseConfig({
    queueName: 'heal',
    iguana: {
      url: door.url,
      operatorTokenFile: iguana.tokenFile,
      node: 'local',
      volume: `t${env.id}-iguana-data`,
      splitUtxos: 5,
    },
    backoffMs: 200,
    dependencyMaxDelayMs: 800,
  });
  await env.runtime.ensureVolume('local', `t${env.id}-iguana-data`, `t${env.id}-iguana`);
  jobs = await env.start(config, { sweep: false, events: false });
  acName = `NNH${env.id.toUpperCase()}`;
  const spec = buildChainSpec(
    { entry: { ac_name: acName, ac_supply: '1000000' } },
    { image: DEVCHAIN_IMAGE },
  );
  chainId = spec.id;
  unit = `t${env.id}-${chainId}`;
  await env.state.chains.create(spec);
});

afterAll(async () => {
  await door?.close();
  await iguana?.close();
  await env?.cleanup();
});

describe('a dependency that is down is waited for, never a permanent failure', () => {
  it('chain.add whose Iguana does not answer waits (no attempt used, no rollback) and completes once it answers', async () => {
    door.open = false;
    const id = await jobs.queue.addChain(chainId as never, 'tester');
    // The job has reached register and met Iguana down more times than it has attempts (2).
    const repair = await eventually(
      async () => {
        const r = await env.state.repairs.get({ chain: chainId });
        return r && r.attempts >= 4 ? r : undefined;
      },
      180_000,
      'the chain.add waiting for Iguana',
    );
    expect(repair).toMatchObject({ action: 'chain.add', waitingFor: 'iguana' });
    expect(repair.lastError).toMatch(
      /^register: Iguana: POST http:\/\/127\.0\.0\.1:\d+\/v1\/coins: no answer/,
    );
    expect(Date.parse(repair.nextRetryAt ?? '')).toBeGreaterThan(Date.parse(repair.since));
    const job = await jobs.queue.queue.getJob(id);
    expect(job?.attemptsMade).toBe(0);
    expect(['delayed', 'active']).toContain(await job?.getState());
    // Nothing rolled back: the chain is still on its way (not failed), its unit runs.
    expect((await env.state.chains.get(chainId)).status).toBe('syncing');
    expect((await env.runtime.inspectUnit(unit)).state).toBe('running');
    // The API's and nnctl's view of it: the summary's repair (checked in nnctl.test.ts) reads this record.

    door.open = true;
    const view = await waitForJob(jobs, id);
    expect(view.state).toBe('completed');
    expect((await env.state.chains.get(chainId)).status).toBe('ready');
    expect(iguana.added.map((c) => c.name)).toEqual([acName]);
    expect(await env.state.repairs.get({ chain: chainId })).toBeUndefined();
  });

  it('an Iguana that lost its coins (restarted) gets the chain registered again, and split, by the sweep', async () => {
    iguana.added.splice(0);
    const splitsBefore = iguana.splits.length;
    await jobs.queue.requestSweep('manual');
    await eventually(
      () => (iguana.added.some((c) => c.name === acName) ? true : undefined),
      60_000,
      'the chain registered again',
    );
    await eventually(() => (iguana.splits.length > splitsBefore ? true : undefined), 30_000, 'the split');
    expect(iguana.splits.at(-1)).toEqual({ name: acName, duplicates: 5 });
    const chain = await env.state.chains.get(chainId);
    expect(chain.status).toBe('ready');
    // The reconcile that registered it (the job is marked completed a moment after its work).
    await eventually(
      async () =>
        (await jobs.queue.queue.getJobs(['completed'])).some(
          (j) => j.name === 'reconcile' && j.data.chainId === chainId && j.returnvalue?.action === 'register',
        )
          ? true
          : undefined,
      30_000,
      'the reconcile that registered the chain',
    );
  });

  it('a ready chain whose unit vanished is restarted (data kept), not added again', async () => {
    const addsBefore = (await jobs.queue.queue.getJobs(['completed'])).filter(
      (j) => j.name === 'chain.add',
    ).length;
    for (const c of ['daemon', 'sidecar']) await docker.getContainer(`${unit}-${c}`).remove({ force: true });
    let asked = 0;
    await eventually(
      async () => {
        // Sweeps asked for within 5 s of each other are one job: ask again now and then.
        if (Date.now() - asked > 6_000) {
          asked = Date.now();
          await jobs.queue.requestSweep('manual');
        }
        const h = await env.runtime.inspectUnit(unit).catch(() => undefined);
        const done = await jobs.queue.queue.getJobs(['completed']);
        const restarted = done.some((j) => j.name === 'chain.restart' && j.data.requestedBy === 'reconcile');
        const chain = await env.state.chains.get(chainId);
        return h?.state === 'running' && restarted && chain.status === 'ready' ? true : undefined;
      },
      120_000,
      'the chain restarted by reconcile',
    );
    const done = await jobs.queue.queue.getJobs(['completed']);
    expect(done.filter((j) => j.name === 'chain.add').length).toBe(addsBefore);
    expect((await docker.listVolumes()).Volumes.filter((v) => v.Name === `${unit}-data`)).toHaveLength(1);
  });

  it('a chain.restart that met Iguana down resumes after the wait: the daemon is not stopped again', async () => {
    await env.state.repairs.clear({ chain: chainId });
    door.open = false;
    const id = await jobs.queue.restartChain(chainId as never, { requestedBy: 'tester' });
    const waited = async (n: number) =>
      eventually(
        async () => {
          const r = await env.state.repairs.get({ chain: chainId });
          return r && r.action === 'chain.restart' && r.attempts >= n ? r : undefined;
        },
        120_000,
        `the restart's wait ${n}`,
      );
    expect((await waited(1)).waitingFor).toBe('iguana');
    const started = (await docker.getContainer(`${unit}-daemon`).inspect()).State.StartedAt;
    await waited(3);
    expect((await docker.getContainer(`${unit}-daemon`).inspect()).State.StartedAt).toBe(started);
    door.open = true;
    const view = await waitForJob(jobs, id);
    expect(view.state).toBe('completed');
    expect((await docker.getContainer(`${unit}-daemon`).inspect()).State.StartedAt).toBe(started);
    expect((await env.state.chains.get(chainId)).status).toBe('ready');
  });
});

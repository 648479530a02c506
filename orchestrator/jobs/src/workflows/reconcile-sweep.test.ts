import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildChainSpec, type ChainId } from '@nn/orchestrator-core';
import { DockerRuntime } from '@nn/runtime';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobsDeps } from '../context.js';
import { SecretStore } from '../secrets/secret-store.js';
import { useTestQueue } from '../testing/test-queue.js';
import { unitNameOf } from '../unit/unit-name.js';
import { processJob } from '../worker.js';
import { type SweepResult, sweep } from './reconcile.js';

// The sweep against the real Redis, BullMQ and engine: a chain whose record was written but whose
// chain.add never got queued (the API died between the two) gets exactly one chain.add once it has been
// `requested` past the grace. No worker runs here, so the queued jobs stay queued.
const dir = mkdtempSync(join(tmpdir(), 'nn-sweep-'));
const q = useTestQueue({
  secretsDir: join(dir, 'secrets'),
  // An instance no unit carries: the engine's units (other tests') are none of this sweep's business.
  instance: `t${randomBytes(4).toString('hex')}`,
});
const { t, config, state } = q;
const runtime = new DockerRuntime({ requestTimeoutMs: 30_000 });
const deps: JobsDeps = {
  config,
  state,
  runtime,
  secrets: new SecretStore(config.secretsDir),
  redis: t.redis,
  log: pino({ level: 'silent' }),
};

afterAll(async () => {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A chain record written straight into the state (as the API does), with no job queued for it. */
async function requestedChain(acName: string, ageMs = 0): Promise<ChainId> {
  const spec = buildChainSpec(
    { entry: { ac_name: acName, ac_supply: '1000' } },
    { image: 'nn/devchain:0.1.0' },
  );
  await state.chains.create(spec);
  if (ageMs > 0) {
    const at = new Date(Date.now() - ageMs).toISOString();
    await t.redis.hset(state.keys.chain(spec.id), 'createdAt', at, 'updatedAt', at);
  }
  return spec.id;
}

const runSweep = () => sweep(deps, (id) => unitNameOf(config.unitPrefix, id), q.queue);

/** chain.add jobs not yet run (nothing runs them here), by chain. */
async function queuedAdds(chainId: string) {
  const jobs = await q.queue.queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
  return jobs.filter((j) => j.name === 'chain.add' && j.data.chainId === chainId);
}

const PAST_GRACE = 2 * 60_000;

describe('reconcile sweep: chains stranded in requested', () => {
  it('queues exactly one chain.add for a chain requested past the grace with no job, however many sweeps run', async () => {
    expect(config.requestedGraceMs).toBe(60_000);
    const stranded = await requestedChain('STRANDED', PAST_GRACE);
    const fresh = await requestedChain('FRESHREQ');
    // Run the sweep the way the worker does: a real reconcile job without a chain.
    const sweepJob = await q.queue.queue.getJob(await q.queue.requestSweep('manual'));
    if (!sweepJob) throw new Error('sweep job not queued');
    const first = (await processJob(deps, q.queue, sweepJob)) as SweepResult;
    expect(first.requeued).toEqual([stranded]);
    const adds = await queuedAdds(stranded);
    expect(adds.map((j) => j.data)).toEqual([{ chainId: stranded, requestedBy: 'reconcile' }]);
    const addId = adds[0]?.id;
    expect(addId).toMatch(/^add-stranded-/);
    // It is the chain's one pending job, like every follow-up.
    expect(await state.pending.get(stranded)).toBe(addId);

    // Again, and two at once: still the one job.
    expect((await runSweep()).requeued).toEqual([]);
    const both = await Promise.all([runSweep(), runSweep()]);
    expect(both.flatMap((r) => r.requeued)).toEqual([]);
    // The worker clears the marker when it starts the job; the job is still in the queue, so no second.
    expect(await state.pending.clear(stranded, addId as string)).toBe(true);
    expect((await runSweep()).requeued).toEqual([]);
    expect((await queuedAdds(stranded)).map((j) => j.id)).toEqual([addId]);
    expect(await state.pending.get(stranded)).toBeUndefined();

    // A chain requested a moment ago is inside the grace: its API's enqueue may be on the way.
    expect(await queuedAdds(fresh)).toEqual([]);
    expect(await state.pending.get(fresh)).toBeUndefined();
    expect((await state.chains.get(stranded)).status).toBe('requested');
  });

  it('leaves a requested chain alone while a chain.add (queued by the API, no marker) or a removal waits', async () => {
    const viaApi = await requestedChain('VIAAPI', PAST_GRACE);
    const apiJob = await q.queue.addChain(viaApi, 'operator:abcd');
    const removing = await requestedChain('REMOVING', PAST_GRACE);
    await q.queue.removeChain(removing, { keepData: false, requestedBy: 'operator:abcd' });
    const result = await runSweep();
    expect(result.requeued).toEqual([]);
    expect((await queuedAdds(viaApi)).map((j) => j.id)).toEqual([apiJob]);
    expect(await queuedAdds(removing)).toEqual([]);
    expect(await state.pending.get(viaApi)).toBeUndefined();
    expect(await state.pending.get(removing)).toBeUndefined();
  });

  it('leaves failed chains and chains that moved on alone, however old', async () => {
    const failed = await requestedChain('OLDFAILED');
    await state.chains.mutate(failed, () => ({ status: 'failed', statusReason: 'validate: boom' }));
    const at = new Date(Date.now() - PAST_GRACE).toISOString();
    await t.redis.hset(state.keys.chain(failed), 'updatedAt', at);
    expect((await runSweep()).requeued).toEqual([]);
    expect(await queuedAdds(failed)).toEqual([]);
  });
});

describe('reconcile sweep: failed chains are tried again slowly', () => {
  it('queues one chain.add once the repair record says the next try is due, none before', async () => {
    const due = await requestedChain('FAILEDDUE');
    const later = await requestedChain('FAILEDLATER');
    for (const id of [due, later])
      await state.chains.mutate(id, () => ({ status: 'failed', statusReason: 'images: image missing' }));
    await state.repairs.failed(
      { chain: due },
      { lastError: 'images: image missing', action: 'chain.add', nextRetryAt: new Date(Date.now() - 1_000) },
    );
    await state.repairs.failed(
      { chain: later },
      {
        lastError: 'images: image missing',
        action: 'chain.add',
        nextRetryAt: new Date(Date.now() + 600_000),
      },
    );
    const first = await runSweep();
    expect(first.retried).toEqual([due]);
    const adds = await queuedAdds(due);
    expect(adds.map((j) => j.data)).toEqual([{ chainId: due, requestedBy: 'reconcile' }]);
    // The chain's one pending job: more sweeps queue nothing more.
    expect(await state.pending.get(due)).toBe(adds[0]?.id);
    expect((await runSweep()).retried).toEqual([]);
    expect(await queuedAdds(due)).toHaveLength(1);
    expect(await queuedAdds(later)).toEqual([]);
    expect((await state.chains.get(later)).status).toBe('failed');
  });
});

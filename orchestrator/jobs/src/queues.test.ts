import { buildChainSpec, type ChainId, type ImageRef } from '@nn/orchestrator-core';
import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { JOB_RETENTION } from './job-retention.js';
import { useTestQueue } from './testing/test-queue.js';

// Against the real Redis: producer-side rules (validated job data, one pending job per chain).
const q = useTestQueue();
const { bull, config, state } = q;

describe('JobQueue', () => {
  it('queues ids only and refuses data that could carry a secret', async () => {
    const spec = buildChainSpec(
      { entry: { ac_name: 'QTEST', ac_supply: '1000' } },
      { image: 'nn/devchain:0.1.0' },
    );
    const id = await q.queue.addChain(spec.id, 'tester');
    const job = await q.queue.queue.getJob(id);
    expect(job?.data).toEqual({ chainId: 'qtest', requestedBy: 'tester' });
    expect(job?.opts.attempts).toBe(config.attempts);
    expect(job?.opts.backoff).toEqual({ type: 'exponential', delay: config.backoffMs });
    await expect(
      q.queue.removeChain('qtest' as ChainId, { keepData: 'yes' as unknown as boolean }),
    ).rejects.toThrow(/keepData/);
    await expect(q.queue.addChain('../x' as ChainId)).rejects.toThrow(/chainId/);
    const view = await q.queue.readJob(id);
    expect(view).toMatchObject({
      id,
      name: 'chain.add',
      state: 'waiting',
      chainId: 'qtest',
      step: null,
      error: null,
    });
    expect(await q.queue.readJob('no-such-job')).toBeUndefined();
    expect(await q.queue.readJob('bad:id')).toBeUndefined();
  });

  it('keeps at most one pending reconcile (or follow-up) per chain', async () => {
    const chainId = 'pend' as ChainId;
    const first = await q.queue.requestReconcile(chainId, 'event');
    expect(first).toMatch(/^reconcile-pend-/);
    expect(await q.queue.requestReconcile(chainId, 'event')).toBeUndefined();
    expect(await q.queue.addChainFollowUp(chainId, 'chain.add')).toBeUndefined();
    expect(await state.pending.get(chainId)).toBe(first);
    // The worker clears the marker when the job starts: the next change queues one more.
    await state.pending.clear(chainId, first as string);
    const next = await q.queue.addChainFollowUp(chainId, 'chain.add');
    expect(next).toMatch(/^add-pend-/);
    expect((await q.queue.queue.getJob(next as string))?.data).toEqual({
      chainId: 'pend',
      requestedBy: 'reconcile',
    });
  });

  it('installs one sweep scheduler however often it is asked', async () => {
    await q.queue.scheduleSweep(60_000);
    await q.queue.scheduleSweep(60_000);
    const schedulers = await q.queue.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual(['reconcile-sweep']);
  });

  it('reads a finished job with its result and progress (state and hash of one instant)', async () => {
    const worker = new Worker(
      config.queueName,
      async (job) => {
        await job.updateProgress({ step: 'done', index: 5, total: 5 });
        return { chainId: job.data.chainId, endpoint: 'http://127.0.0.1:60001' };
      },
      { connection: bull, prefix: config.queuePrefix, autorun: false },
    );
    await q.queue.queue.obliterate({ force: true });
    const id = await q.queue.restartChain('done' as ChainId, { reason: 'probe' });
    void worker.run();
    let view = await q.queue.readJob(id);
    for (let i = 0; i < 100 && view?.state !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      view = await q.queue.readJob(id);
      // Whenever it says completed, the result is there too.
      if (view?.state === 'completed') expect(view.result).not.toBeNull();
    }
    await worker.close();
    expect(view).toMatchObject({
      state: 'completed',
      step: 'done',
      progress: { step: 'done', index: 5, total: 5 },
      result: { chainId: 'done', endpoint: 'http://127.0.0.1:60001' },
      error: null,
    });
    expect(view?.finishedAt).not.toBeNull();
  });

  it('gives every job, whichever path queued it, an id of the one scheme and the one retention', async () => {
    const c = (id: string) => id as ChainId;
    const made: Array<[string | undefined, RegExp]> = [
      [await q.queue.addChain(c('idsa'), 'operator:abcd'), /^add-idsa-[0-9a-z]{14,}$/],
      ...(await q.queue.addChains([{ chainId: c('idsb') }, { chainId: c('idsc'), requestedBy: 'x' }])).map(
        (id, i): [string, RegExp] => [id, new RegExp(`^add-ids${'bc'[i]}-[0-9a-z]{14,}$`)],
      ),
      [await q.queue.removeChain(c('idsd'), { keepData: true }), /^remove-idsd-[0-9a-z]{14,}$/],
      [await q.queue.restartChain(c('idse')), /^restart-idse-[0-9a-z]{14,}$/],
      [
        await q.queue.upgradeChain(c('idsf'), 'nn/devchain:0.2.0' as ImageRef),
        /^upgrade-idsf-[0-9a-z]{14,}$/,
      ],
      [await q.queue.requestReconcile(c('idsg'), 'manual'), /^reconcile-idsg-[0-9a-z]{14,}$/],
      [await q.queue.addChainFollowUp(c('idsh'), 'chain.restart'), /^restart-idsh-[0-9a-z]{14,}$/],
      [await q.queue.requeueStrandedAdd(c('idsi'), async () => true), /^add-idsi-[0-9a-z]{14,}$/],
    ];
    for (const [id, scheme] of made) {
      expect(id).toMatch(scheme);
      const job = await q.queue.queue.getJob(id as string);
      expect(job?.opts).toMatchObject({ ...JOB_RETENTION.chainJobs, attempts: expect.any(Number) });
    }
    const sweepId = await q.queue.requestSweep('manual');
    expect(sweepId).toMatch(/^sweep-[0-9a-z]{14,}$/);
    expect((await q.queue.queue.getJob(sweepId))?.opts).toMatchObject(JOB_RETENTION.sweeps);
  });

  it('queues one removal, restart or upgrade per chain while one waits, and a new one once it is done', async () => {
    await q.queue.queue.obliterate({ force: true });
    const chainId = 'dedupe' as ChainId;
    const rm = await q.queue.removeChain(chainId, { keepData: false });
    expect(await q.queue.removeChain(chainId, { keepData: true })).toBe(rm);
    const restart = await q.queue.restartChain(chainId, { reason: 'one' });
    expect(await q.queue.restartChain(chainId, { reason: 'two' })).toBe(restart);
    const upgrade = await q.queue.upgradeChain(chainId, 'nn/devchain:0.2.0' as ImageRef);
    expect(await q.queue.upgradeChain(chainId, 'nn/devchain:0.3.0' as ImageRef)).toBe(upgrade);
    // Another chain is not held back by this one's waiting jobs.
    expect(await q.queue.removeChain('other' as ChainId, { keepData: false })).not.toBe(rm);
    expect((await q.queue.queue.getJob(rm))?.data).toEqual({ chainId: 'dedupe', keepData: false });
    expect(await q.queue.queue.getWaitingCount()).toBe(4);

    const worker = new Worker(config.queueName, async () => 'done', {
      connection: bull,
      prefix: config.queuePrefix,
    });
    try {
      for (let i = 0; i < 200 && (await q.queue.queue.getCompletedCount()) < 4; i++)
        await new Promise((r) => setTimeout(r, 20));
    } finally {
      await worker.close();
    }
    expect(await q.queue.queue.getCompletedCount()).toBe(4);
    const next = await q.queue.removeChain(chainId, { keepData: false });
    expect(next).not.toBe(rm);
    expect(next).toMatch(/^remove-dedupe-/);
  });

  it('queues an import all or nothing: one bad item queues none', async () => {
    await q.queue.queue.obliterate({ force: true });
    await expect(
      q.queue.addChains([{ chainId: 'fine' as ChainId }, { chainId: 'Not A Chain' as ChainId }]),
    ).rejects.toThrow(/chainId/);
    expect(await q.queue.queue.count()).toBe(0);
    const ids = await q.queue.addChains([{ chainId: 'one' as ChainId }, { chainId: 'two' as ChainId }]);
    expect(ids.map((id) => id.split('-').slice(0, 2).join('-'))).toEqual(['add-one', 'add-two']);
    expect((await q.queue.queue.getJobs(['waiting'])).map((j) => j.id).sort()).toEqual([...ids].sort());
  });
});

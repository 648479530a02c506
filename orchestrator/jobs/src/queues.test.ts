import { buildChainSpec, type ChainId } from '@nn/orchestrator-core';
import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
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
});

import type { ChainId } from '@nn/orchestrator-core';
import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { type JobView, jobViewOf, readJobSnapshot } from './job-status.js';
import { useTestQueue } from './testing/test-queue.js';

// readJob shows a job's state and its hash as one instant saw them (one script), never the state of one
// moment with the progress, result or reason of another.
const q = useTestQueue({
  queueName: 'job-status',
  attempts: 2,
  backoffMs: 10,
});
const { bull, config } = q;

/** What must hold of any one view, whatever the moment it was read. */
function inconsistency(view: JobView): string | undefined {
  const finished = view.finishedAt !== null;
  switch (view.state) {
    case 'waiting':
    case 'delayed':
    case 'prioritized':
    case 'active':
      if (finished || view.result !== null) return `${view.state} with a finished job's result`;
      return undefined;
    case 'completed':
      if (!finished || view.result === null) return 'completed without its result';
      if (view.step !== 'done') return `completed at step ${view.step}`;
      return undefined;
    case 'failed':
      if (!finished || view.error === null) return 'failed without its reason';
      return undefined;
    default:
      return `state ${view.state}`;
  }
}

describe('readJob', () => {
  it('assembles a view from one snapshot of the hash and the state', () => {
    const hash = {
      name: 'chain.restart',
      data: JSON.stringify({ chainId: 'snap', reason: 'probe' }),
      opts: JSON.stringify({ attempts: 3 }),
      progress: JSON.stringify({ step: 'done', index: 4, total: 4 }),
      timestamp: '1700000000000',
      finishedOn: '1700000005000',
      attemptsMade: '1',
      returnvalue: JSON.stringify({ chainId: 'snap' }),
      delay: '0',
      priority: '0',
    };
    expect(jobViewOf(q.queue.queue, { id: 'restart-snap-1', hash, state: 'completed' })).toEqual({
      id: 'restart-snap-1',
      name: 'chain.restart',
      state: 'completed',
      chainId: 'snap',
      step: 'done',
      progress: { step: 'done', index: 4, total: 4 },
      error: null,
      attemptsMade: 1,
      attempts: 3,
      result: { chainId: 'snap' },
      createdAt: '2023-11-14T22:13:20.000Z',
      finishedAt: '2023-11-14T22:13:25.000Z',
    });
    const failed = {
      ...hash,
      failedReason: 'stop: boom',
      progress: JSON.stringify({ step: 'stop', index: 0, total: 4 }),
    };
    expect(jobViewOf(q.queue.queue, { id: 'x', hash: failed, state: 'failed' })).toMatchObject({
      state: 'failed',
      step: 'stop',
      error: { message: 'stop: boom' },
    });
    // No hash, or in no state (removed, or being written): no job.
    expect(jobViewOf(q.queue.queue, { id: 'x', hash: {}, state: 'waiting' })).toBeUndefined();
    expect(jobViewOf(q.queue.queue, { id: 'x', hash, state: 'unknown' })).toBeUndefined();
  });

  it('reads the state and the hash in one round trip (a snapshot of one instant)', async () => {
    const id = await q.queue.restartChain('snapq' as ChainId, { reason: 'probe' });
    const snapshot = await readJobSnapshot(q.queue.queue, id);
    expect(snapshot.state).toBe('waiting');
    expect(JSON.parse(snapshot.hash.data ?? '{}')).toEqual({ chainId: 'snapq', reason: 'probe' });
    expect(await readJobSnapshot(q.queue.queue, 'no-such-job')).toEqual({
      id: 'no-such-job',
      hash: {},
      state: 'unknown',
    });
    await q.queue.queue.obliterate({ force: true });
  });

  it('never mixes one moment’s state with another’s data while jobs step, retry, fail and finish', async () => {
    const worker = new Worker(
      config.queueName,
      async (job) => {
        const total = 3;
        for (const [index, step] of ['stop', 'start'].entries()) {
          await job.updateProgress({ step, index, total });
          await new Promise((r) => setImmediate(r));
        }
        if (job.data.reason === 'fail') throw new Error('start: refused');
        await job.updateProgress({ step: 'done', index: 2, total });
        return { chainId: job.data.chainId };
      },
      { connection: bull, prefix: config.queuePrefix, autorun: false },
    );
    void worker.run();
    const problems: string[] = [];
    const seen = new Set<string>();
    try {
      for (let n = 0; n < 40; n++) {
        const reason = n % 4 === 3 ? 'fail' : 'ok';
        const id = await q.queue.restartChain(`mix${n}` as ChainId, { reason });
        // Poll as fast as possible until the job has finished: every view must be of one instant.
        for (let i = 0; i < 5000; i++) {
          const view = await q.queue.readJob(id);
          if (view === undefined) continue;
          seen.add(view.state);
          const problem = inconsistency(view);
          if (problem) problems.push(`${id}: ${problem} (${JSON.stringify(view)})`);
          if (view.state === 'completed' || view.state === 'failed') break;
        }
      }
    } finally {
      await worker.close();
    }
    expect(problems).toEqual([]);
    expect([...seen]).toEqual(expect.arrayContaining(['active', 'completed', 'failed']));
  });
});

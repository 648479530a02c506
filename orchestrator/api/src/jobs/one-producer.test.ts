import { buildChainSpec, type ChainId } from '@nn/orchestrator-core';
import { JOB_RETENTION, jobsConfigSchema } from '@nn/orchestrator-jobs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiHarness, apiHarness, bearer, OPERATOR_KEY, season8Entries } from '../testing/harness.js';

// The API queues through the jobs package's producer: its jobs carry the same id scheme, attempts,
// backoff and retention as the workers' and the sweep's, and the sweep sees the API's chain.add (which
// sets no pending marker) as the chain's settling job.

let h: ApiHarness;
beforeEach(async () => {
  h = await apiHarness();
});
afterEach(async () => {
  await h.close();
});

const defaults = {
  attempts: jobsConfigSchema.shape.attempts.parse(undefined),
  backoffMs: jobsConfigSchema.shape.backoffMs.parse(undefined),
};
const scheme = (kind: string, chainId: string) => new RegExp(`^${kind}-${chainId}-[0-9a-z]{14,}$`);

async function expectJobOptions(jobId: string): Promise<void> {
  const job = await h.queue.queue.getJob(jobId);
  expect(job?.opts).toMatchObject({
    ...JOB_RETENTION.chainJobs,
    attempts: defaults.attempts,
    backoff: { type: 'exponential', delay: defaults.backoffMs },
  });
}

describe('one producer for the API and the sweep', () => {
  it('gives API and sweep chain.adds one scheme, one retention, and the sweep sees the API one', async () => {
    const entries = season8Entries();
    const add = await h.app.inject({
      method: 'POST',
      url: '/v1/chains',
      headers: bearer(OPERATOR_KEY),
      payload: { entry: entries[0] },
    });
    expect(add.statusCode).toBe(202);
    const viaApi = add.json() as { jobId: string; chainId: string };
    expect(viaApi.jobId).toMatch(scheme('add', viaApi.chainId));
    await expectJobOptions(viaApi.jobId);

    const imported = await h.app.inject({
      method: 'POST',
      url: '/v1/chains/import',
      headers: bearer(OPERATOR_KEY),
      payload: entries.slice(1, 3),
    });
    expect(imported.statusCode).toBe(202);
    const importJobs = (imported.json() as { jobs: Array<{ jobId: string; chainId: string }> }).jobs;
    expect(importJobs).toHaveLength(2);
    for (const job of importJobs) {
      expect(job.jobId).toMatch(scheme('add', job.chainId));
      await expectJobOptions(job.jobId);
    }

    // A chain whose record was written with no job (the API died between the two): the sweep's path.
    const stranded = buildChainSpec({ entry: { ac_name: 'STRANDED', ac_supply: '1000' } }, { image: 'x:1' });
    await h.state.chains.create(stranded);
    const bySweep = await h.queue.requeueStrandedAdd(stranded.id, async () => true);
    expect(bySweep).toMatch(scheme('add', stranded.id));
    await expectJobOptions(bySweep as string);

    const unfinished = await h.queue.chainsWithUnfinishedJobs(['chain.add']);
    for (const id of [viaApi.chainId, ...importJobs.map((j) => j.chainId), stranded.id])
      expect(unfinished.has(id)).toBe(true);
    // With the API's chain.add waiting, the sweep queues none for that chain; nor a second for its own.
    expect(await h.queue.requeueStrandedAdd(viaApi.chainId as ChainId, async () => true)).toBeUndefined();
    await h.state.pending.clear(stranded.id, bySweep as string);
    expect(await h.queue.requeueStrandedAdd(stranded.id, async () => true)).toBeUndefined();
    expect(await h.queue.queue.getWaitingCount()).toBe(4);
  });
});

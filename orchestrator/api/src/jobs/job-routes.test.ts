import { readJob } from '@nn/orchestrator-jobs';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobViewSchema } from '../schemas.js';
import {
  type ApiHarness,
  apiHarness,
  bearer,
  OPERATOR_KEY,
  season8Entries,
  TEST_REDIS_URL,
  VIEWER_KEY,
} from '../testing/harness.js';

// GET /v1/jobs and /v1/jobs/:id against jobs a real BullMQ worker runs on the orchestrator queue: the
// state, the step with its place among the job's steps, and the failure reason.

let h: ApiHarness;
let worker: Worker | undefined;
let workerRedis: Redis | undefined;
beforeEach(async () => {
  h = await apiHarness();
});
afterEach(async () => {
  await worker?.close();
  worker = undefined;
  workerRedis?.disconnect();
  await h.close();
});

const view = (id: string) =>
  h.app.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers: bearer(VIEWER_KEY) });

type Progress = { step: string; index: number; total: number; message?: string };
function startWorker(
  run: (
    job: { name: string; data: Record<string, unknown> },
    progress: (p: Progress) => Promise<void>,
  ) => Promise<void>,
) {
  workerRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  worker = new Worker(h.queue.name, async (job) => run(job, (p) => job.updateProgress(p)), {
    connection: workerRedis,
    prefix: h.queuePrefix,
  });
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const add = async (index = 0) =>
  (
    await h.app.inject({
      method: 'POST',
      url: '/v1/chains',
      headers: bearer(OPERATOR_KEY),
      payload: { entry: season8Entries()[index] },
    })
  ).json() as { jobId: string; chainId: string };

describe('GET /v1/jobs/:id', () => {
  it('shows a waiting job, then its step while active, then completed', async () => {
    const { jobId } = await add();
    const waiting = await view(jobId);
    expect(waiting.statusCode).toBe(200);
    expect(jobViewSchema.parse(waiting.json())).toMatchObject({
      id: jobId,
      name: 'chain.add',
      state: 'waiting',
      chainId: 'ccl',
      step: null,
      progress: null,
      error: null,
      attemptsMade: 0,
      attempts: 6,
    });

    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    startWorker(async (_job, progress) => {
      await progress({ step: 'place', index: 2, total: 11 });
      await gate;
      await progress({ step: 'done', index: 11, total: 11, message: 'ready' });
    });
    const active = await until(async () => {
      const body = (await view(jobId)).json();
      return body.step === 'place' ? body : undefined;
    }, 'the place step');
    expect(active).toMatchObject({ state: 'active', progress: { step: 'place', index: 2, total: 11 } });
    release();
    const done = await until(async () => {
      const body = (await view(jobId)).json();
      // readJob reads the job, then its state: a reply may pair the old hash with the new state.
      return body.state === 'completed' && body.step === 'done' ? body : undefined;
    }, 'completion');
    expect(done).toMatchObject({
      step: 'done',
      progress: { message: 'ready' },
      finishedAt: expect.any(String),
    });
    expect(done.error).toBeNull();
  });

  it('shows a failed job with its reason', async () => {
    const { jobId } = await add(0);
    startWorker(async (_job, progress) => {
      await progress({ step: 'images', index: 3, total: 11 });
      throw new UnrecoverableError('images: image nn/x:1 is missing');
    });
    const failed = await until(async () => {
      const body = (await view(jobId)).json();
      return body.state === 'failed' && body.error !== null ? body : undefined;
    }, 'failure');
    expect(failed).toMatchObject({
      step: 'images',
      error: { message: 'images: image nn/x:1 is missing' },
    });
  });

  it('is what orchestrator/jobs reads (readJob), in the schema nnctl parses', async () => {
    const { jobId } = await add(0);
    const body = (await view(jobId)).json();
    expect(body).toEqual(JSON.parse(JSON.stringify(await readJob(h.queue.queue, jobId))));
    expect(jobViewSchema.safeParse(body).success).toBe(true);
  });

  it('answers 404 naming id for an unknown job', async () => {
    const res = await view('no-such-job');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'not_found', field: 'id' });
  });
});

describe('GET /v1/jobs', () => {
  it('lists recent jobs newest first, filtered by state, chain and limit', async () => {
    const a = await add(0);
    await new Promise((r) => setTimeout(r, 5));
    const b = await add(1);
    await new Promise((r) => setTimeout(r, 5));
    const rm = await h.app.inject({ method: 'DELETE', url: '/v1/chains/ccl', headers: bearer(OPERATOR_KEY) });
    const list = async (query: string) =>
      (
        await h.app.inject({ method: 'GET', url: `/v1/jobs${query}`, headers: bearer(VIEWER_KEY) })
      ).json() as {
        jobs: Array<{ id: string; name: string }>;
      };
    const all = await list('');
    expect(all.jobs.map((j) => j.id)).toEqual([rm.json().jobId, b.jobId, a.jobId]);
    expect((await list('?limit=1')).jobs).toHaveLength(1);
    expect((await list('?chain=ccl')).jobs.map((j) => j.name)).toEqual(['chain.remove', 'chain.add']);
    expect((await list('?state=failed')).jobs).toEqual([]);
    expect((await list('?state=waiting')).jobs).toHaveLength(3);
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?state=unknown', 'state'],
      ['?chain=CCL', 'chain'],
      ['?sort=asc', 'sort'],
    ]) {
      const res = await h.app.inject({ method: 'GET', url: `/v1/jobs${query}`, headers: bearer(VIEWER_KEY) });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.field, query).toBe(field);
    }
  });
});

import { specOf } from '@nn/orchestrator-state/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiHarness,
  apiHarness,
  bearer,
  nodeInput,
  OPERATOR_KEY,
  season8Entries,
  VIEWER_KEY,
} from '../testing/harness.js';

// Drain and undrain over the real Redis and queues. A refused drain is checked to have changed nothing:
// the keys under the test's prefix (state and BullMQ), the queued jobs and the node's cordon.

const op = bearer(OPERATOR_KEY);
let h: ApiHarness;
beforeEach(async () => {
  h = await apiHarness();
});
afterEach(async () => {
  await h.close();
});

async function chainOn(node: string, i: number, extra: Record<string, unknown> = {}): Promise<string> {
  const spec = specOf(season8Entries()[i], extra);
  await h.state.chains.create(spec);
  await h.state.placement.place(spec.id, [await h.state.nodes.get(node)]);
  return spec.id;
}

async function expectNothingChanged(run: () => Promise<void>): Promise<void> {
  const keys = await h.countKeys();
  const jobs = await h.countJobs();
  const nodes = await h.state.nodes.list();
  await run();
  expect(await h.countKeys()).toBe(keys);
  expect(await h.countJobs()).toBe(jobs);
  expect(await h.state.nodes.list()).toEqual(nodes);
}

const drain = (name: string, payload: unknown = {}, headers = op) =>
  h.app.inject({ method: 'POST', url: `/v1/nodes/${name}/drain`, headers, payload: payload as object });

describe('POST /v1/nodes/:name/drain', () => {
  it('queues one node.drain with the planned moves; asking again gets the same job', async () => {
    await h.state.nodes.upsert(nodeInput('e1', 2));
    await h.state.nodes.upsert(nodeInput('e2', 2));
    const ids = [await chainOn('e1', 0), await chainOn('e1', 1)].sort();
    const res = await drain('e1');
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ name: 'node.drain', node: 'e1', mode: 'transfer' });
    expect(body.jobId).toMatch(/^drain-e1-/);
    expect(body.moves).toEqual(ids.map((chainId) => ({ chainId, to: 'e2' })));
    const job = await h.queue.queue.getJob(body.jobId);
    expect(job?.name).toBe('node.drain');
    expect(job?.data).toEqual({ node: 'e1', mode: 'transfer', requestedBy: expect.any(String) });
    // The cordon is the job's first change, not the API's.
    expect((await h.state.nodes.get('e1')).schedulable).toBe(true);
    const again = await drain('e1', { resync: true });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ jobId: body.jobId, mode: 'transfer' });
    expect(await h.countJobs()).toBe(1);
  });

  it('refuses with 409 and the reason, changing nothing, when a chain would have nowhere to go', async () => {
    await h.state.nodes.upsert(nodeInput('e1', 2));
    await h.state.nodes.upsert(nodeInput('e2', 1));
    await chainOn('e1', 0);
    await chainOn('e1', 1);
    await expectNothingChanged(async () => {
      const res = await drain('e1');
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toMatch(/cannot drain e1: \S+ has nowhere to go \(e2: memory/);
    });
  });

  it('refuses a chain pinned to the node, an unknown node (404) and bad input (400), changing nothing', async () => {
    await h.state.nodes.upsert(nodeInput('e1', 2));
    await h.state.nodes.upsert(nodeInput('e2', 2));
    await chainOn('e1', 0, { node: 'e1' });
    await expectNothingChanged(async () => {
      const pinned = await drain('e1');
      expect(pinned.statusCode).toBe(409);
      expect(pinned.json().error.message).toContain('asked for node e1');
      const unknown = await drain('e9');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.field).toBe('name');
      const bad = await drain('e2', { resync: 'yes' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('resync');
      const extra = await drain('e2', { force: true });
      expect(extra.statusCode).toBe(400);
      const badName = await drain('E_1');
      expect(badName.statusCode).toBe(400);
      expect(badName.json().error.message).toContain('name');
      expect((await drain('e2', {}, bearer(VIEWER_KEY))).statusCode).toBe(403);
    });
  });
});

describe('POST /v1/nodes/:name/undrain', () => {
  it('makes the node schedulable again, saying whether it changed', async () => {
    await h.state.nodes.upsert({ ...nodeInput('e1', 2), schedulable: false });
    const undrain = () =>
      h.app.inject({ method: 'POST', url: '/v1/nodes/e1/undrain', headers: op, payload: {} });
    const first = await undrain();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ node: 'e1', schedulable: true, changed: true });
    expect((await h.state.nodes.get('e1')).schedulable).toBe(true);
    expect((await undrain()).json().changed).toBe(false);
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/v1/nodes/e9/undrain',
      headers: op,
      payload: {},
    });
    expect(unknown.statusCode).toBe(404);
  });
});

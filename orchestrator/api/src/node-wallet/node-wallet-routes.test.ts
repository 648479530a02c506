import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiHarness,
  apiHarness,
  bearer,
  OPERATOR_KEY,
  recordedNodeUnits,
  VIEWER_KEY,
} from '../testing/harness.js';

// The node wallet reset's route over the real Redis and queues, with the node units' desired state as
// `nnctl up` records it. Every refusal is checked to have queued and stored nothing; the job itself
// runs on the engine in test/orchestrator/node-wallet-reset.test.ts.

const op = bearer(OPERATOR_KEY);
const desired = recordedNodeUnits();

let h: ApiHarness;
beforeEach(async () => {
  h = await apiHarness();
});
afterEach(async () => {
  await h.close();
});

const post = (payload: unknown, headers = op) =>
  h.app.inject({ method: 'POST', url: '/v1/node/wallet-reset', headers, payload: payload as object });

async function expectNothingQueued(run: () => Promise<void>): Promise<void> {
  const keys = await h.countKeys();
  const jobs = await h.countJobs();
  await run();
  expect(await h.countKeys()).toBe(keys);
  expect(await h.countJobs()).toBe(jobs);
}

describe('POST /v1/node/wallet-reset (nnctl node wallet-reset)', () => {
  it('queues one node.wallet-reset of the main chain; asked again while it waits, the same job', async () => {
    await h.state.nodeUnits.putDesired(desired);
    const res = await post({ target: 'main' });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toEqual({
      jobId: expect.stringMatching(/^node-wallet-reset-main-/),
      name: 'node.wallet-reset',
      target: 'main',
    });
    const again = await post({ target: 'main' });
    expect(again.statusCode).toBe(202);
    expect(again.json().jobId).toBe(body.jobId);
    expect(await h.countJobs()).toBe(1);
  });

  it.each([
    [{ target: 'kmd' }, 400, 'target'],
    [{ target: 'bitcoin' }, 400, 'target'],
    [{}, 400, 'target'],
    [{ target: 'main', force: true }, 400, 'force'],
  ])('refuses %j with %i naming %s', async (payload, status, field) => {
    await h.state.nodeUnits.putDesired(desired);
    await expectNothingQueued(async () => {
      const res = await post(payload);
      expect(res.statusCode).toBe(status);
      expect(res.json().error.field).toBe(field);
    });
  });

  it('queues the destination (LTC) reset, and refuses it on a node without a destination chain', async () => {
    const noLtc = {
      ...desired,
      layout: { ...desired.layout, daemons: { ...desired.layout.daemons, destination: null } },
    };
    await h.state.nodeUnits.putDesired(noLtc);
    await expectNothingQueued(async () => {
      const res = await post({ target: 'destination' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({
        field: 'target',
        message: expect.stringMatching(/no destination chain/),
      });
    });
    await h.state.nodeUnits.putDesired(desired);
    const res = await post({ target: 'destination' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ name: 'node.wallet-reset', target: 'destination' });
    // One at a time: the main chain's reset is refused while the destination's waits.
    await expectNothingQueued(async () => {
      const main = await post({ target: 'main' });
      expect(main.statusCode).toBe(409);
      expect(main.json().error.message).toMatch(
        /node.wallet-reset of the destination chain is queued or running/,
      );
    });
  });

  it('refuses a node without recorded units, and a chain whose live status is not synced', async () => {
    await expectNothingQueued(async () => {
      const res = await post({ target: 'main' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toMatch(/nnctl up/);
    });
    await h.state.nodeUnits.putDesired(desired);
    await h.state.live.put({ base: 'kmd' }, { synced: false, blocks: 10, headers: 90 }, 60_000);
    await expectNothingQueued(async () => {
      const res = await post({ target: 'main' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toMatch(/main chain is not synced/);
    });
    // The destination's own status decides for it: KMD's does not.
    await h.state.live.put({ base: 'ltc' }, { synced: false, blocks: 3, headers: 700 }, 60_000);
    await expectNothingQueued(async () => {
      const res = await post({ target: 'destination' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toMatch(/destination chain is not synced/);
    });
  });

  it('needs the operator role', async () => {
    await h.state.nodeUnits.putDesired(desired);
    await expectNothingQueued(async () => {
      expect((await post({ target: 'main' }, bearer(VIEWER_KEY))).statusCode).toBe(403);
    });
  });
});

describe('POST /v1/node/consolidate (nnctl node consolidate)', () => {
  const consolidate = (payload: unknown, headers = op) =>
    h.app.inject({ method: 'POST', url: '/v1/node/consolidate', headers, payload: payload as object });

  it('queues one node.consolidate of the destination; the main chain refused while it waits', async () => {
    await h.state.nodeUnits.putDesired(desired);
    const res = await consolidate({ target: 'destination' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      jobId: expect.stringMatching(/^node-consolidate-destination-/),
      name: 'node.consolidate',
      target: 'destination',
    });
    expect((await consolidate({ target: 'destination' })).json().jobId).toBe(res.json().jobId);
    await expectNothingQueued(async () => {
      const main = await consolidate({ target: 'main' });
      expect(main.statusCode).toBe(409);
      expect(main.json().error.message).toMatch(/node.consolidate of the destination chain is queued/);
    });
  });

  it.each([
    [{ target: 'ltc' }, 400, 'target'],
    [{ target: 'main', all: true }, 400, 'all'],
  ])('refuses %j with %i naming %s', async (payload, status, field) => {
    await h.state.nodeUnits.putDesired(desired);
    await expectNothingQueued(async () => {
      const res = await consolidate(payload);
      expect(res.statusCode).toBe(status);
      expect(res.json().error.field).toBe(field);
    });
  });

  it('refuses without recorded node units, and the destination of a node without one (409)', async () => {
    await expectNothingQueued(async () => {
      const res = await consolidate({ target: 'main' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toMatch(/nnctl up/);
    });
    const noLtc = {
      ...desired,
      layout: { ...desired.layout, daemons: { ...desired.layout.daemons, destination: null } },
    };
    await h.state.nodeUnits.putDesired(noLtc);
    await expectNothingQueued(async () => {
      const res = await consolidate({ target: 'destination' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ field: 'target' });
    });
  });

  it('a viewer may not consolidate (403)', async () => {
    await h.state.nodeUnits.putDesired(desired);
    await expectNothingQueued(async () => {
      expect((await consolidate({ target: 'main' }, bearer(VIEWER_KEY))).statusCode).toBe(403);
    });
  });
});

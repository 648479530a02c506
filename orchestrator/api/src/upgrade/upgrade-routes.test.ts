import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiHarness,
  apiHarness,
  bearer,
  OPERATOR_KEY,
  recordedNodeUnits,
  VIEWER_KEY,
} from '../testing/harness.js';

// The whole-node upgrade's routes over the real Redis and queues, with the node units' desired state as
// `nnctl up` records it. Every refusal is checked to have queued and stored nothing. The image check of
// the upgrade itself needs an engine: test/orchestrator/node-upgrade.test.ts covers it.

const op = bearer(OPERATOR_KEY);

/** The document `nnctl up` records (the fields parseNodeUnitsDesired checks, with the devnet's images). */
const desired = recordedNodeUnits();

let h: ApiHarness;
beforeEach(async () => {
  h = await apiHarness();
  await h.state.nodeUnits.putDesired(desired);
});
afterEach(async () => {
  await h.close();
});

const post = (url: string, payload: unknown, headers = op) =>
  h.app.inject({ method: 'POST', url, headers, payload: payload as object });

async function expectNothingQueued(run: () => Promise<void>): Promise<void> {
  const keys = await h.countKeys();
  const jobs = await h.countJobs();
  await run();
  expect(await h.countKeys()).toBe(keys);
  expect(await h.countJobs()).toBe(jobs);
  expect(await h.state.nodeUnits.getDesired()).toEqual(desired);
}

describe('POST /v1/node/upgrade/plan (nnctl upgrade --dry-run)', () => {
  it('shows the plan in the dPoW update order and changes nothing', async () => {
    await expectNothingQueued(async () => {
      const res = await post('/v1/node/upgrade/plan', {
        images: { main: 'nn/kmd:2', iguana: 'nn/iguana:2' },
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.plan.daemons).toEqual([
        {
          target: 'main',
          kind: 'node-unit',
          unit: 'nn-kmd',
          node: 'local',
          from: 'nn/devchain:0.1.0',
          to: 'nn/kmd:2',
        },
      ]);
      expect(body.plan.iguana).toEqual({
        unit: 'nn-iguana',
        node: 'local',
        from: 'nn/deviguana:0.1.0',
        to: 'nn/iguana:2',
      });
      expect(body.steps).toEqual([
        'preflight: nn/kmd:2 on local, nn/iguana:2 on local',
        'stop Iguana (nn-iguana)',
        'upgrade main (nn-kmd on local): nn/devchain:0.1.0 -> nn/kmd:2, health-gated, rolled back on failure',
        'unlock stale UTXOs on every daemon',
        'upgrade Iguana (nn-iguana): nn/deviguana:0.1.0 -> nn/iguana:2',
        'register the chains with Iguana again',
      ]);
    });
  });

  it.each([
    [{ images: { bitcoin: 'nn/x:1' } }, 400, 'images.bitcoin'],
    [{ images: { main: 'nn/kmd;reboot' } }, 400, 'images.main'],
    [{ images: { kmd: 'nn/kmd:2' } }, 400, 'images.kmd'],
    [{ images: {} }, 400, 'images'],
    [{ images: { main: 'nn/kmd:2' }, force: true }, 400, 'force'],
    [{ images: { 'chain:nosuch': 'nn/ac:2' } }, 404, 'images.chain:nosuch'],
    [{ images: { main: 'nn/devchain:0.1.0' } }, 409, 'images'],
  ])('refuses %j with %i naming %s', async (payload, status, field) => {
    await expectNothingQueued(async () => {
      for (const url of ['/v1/node/upgrade/plan', '/v1/node/upgrade']) {
        const res = await post(url, payload);
        expect(res.statusCode, url).toBe(status);
        expect(res.json().error.field, url).toBe(field);
      }
    });
  });

  it('needs the operator role', async () => {
    await expectNothingQueued(async () => {
      const res = await post('/v1/node/upgrade', { images: { main: 'nn/kmd:2' } }, bearer(VIEWER_KEY));
      expect(res.statusCode).toBe(403);
    });
  });
});

describe('POST /v1/node/upgrade', () => {
  it('an API without a container runtime cannot check the images: 503, nothing queued', async () => {
    await expectNothingQueued(async () => {
      const res = await post('/v1/node/upgrade', { images: { main: 'nn/kmd:2' } });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toBe(
        'this API process has no container runtime to check the images on',
      );
    });
  });
});

import { apiHarness, bearer, OPERATOR_KEY } from '@nn/orchestrator-api/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { waitForJob } from './harness.js';
import { IGUANA_IMAGE, images, type NodeUpgradeEnv, nodeUpgradeEnv } from './node-upgrade-env.js';

// node.upgrade (issue 16 item 4) on the real engine: a devnet node's LTC, KMD and Iguana units (the
// stand-in images, Iguana's real sidecar) recorded as desired state the way `nnctl up` records them, one
// assetchain added through the jobs and registered with Iguana. The "new" images are the same images
// under this run's own tags, so every unit really is recreated from another image reference. Checked:
// a missing image is refused before any change (the API's 400 and the job's preflight); the whole
// node upgraded in the dPoW order with the reconcile sweeping meanwhile and never bringing Iguana back
// early; a daemon that never gets ready rolled back with Iguana started again. Its worker killed at
// each step: node-upgrade-crash.test.ts.

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

let nu: NodeUpgradeEnv;
/** Every checkpoint of a node.upgrade the in-process worker passed: `step|point|unit or chain`. */
const points: string[] = [];

beforeAll(async () => {
  nu = await nodeUpgradeEnv({
    queueName: 'nodeup',
    sweep: true,
    hooks: { at: (p) => void (p.job === 'node.upgrade' && points.push(`${p.step}|${p.point}|${p.chainId}`)) },
  });
});

afterAll(async () => {
  await nu?.close();
});

describe('nnctl upgrade: node.upgrade on the real engine', () => {
  it('an image no node has is refused before any change: a 400 from the API, and by the job itself', async () => {
    const startedBefore = await Promise.all(Object.values(nu.names).map(nu.daemonStart));
    const desiredBefore = await nu.env.state.nodeUnits.getDesired();
    const api = await apiHarness({ runtime: nu.env.runtime });
    try {
      await api.state.nodeUnits.putDesired(desiredBefore as Record<string, unknown>);
      const res = await api.app.inject({
        method: 'POST',
        url: '/v1/node/upgrade',
        headers: bearer(OPERATOR_KEY),
        payload: { images: { main: 'nn/devchain:no-such-tag', iguana: IGUANA_IMAGE } },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('images.main');
      expect(res.json().error.message).toContain('image "nn/devchain:no-such-tag" is not on node "local"');
      expect(await api.countJobs()).toBe(0);
    } finally {
      await api.close();
    }
    // The job's preflight refuses it the same way (the state may have moved since the API looked).
    const view = await waitForJob(
      nu.jobs,
      await nu.jobs.queue.upgradeNode(images({ main: 'nn/devchain:no-such-tag' })),
    );
    expect(view.state).toBe('failed');
    expect(view.attemptsMade).toBe(1);
    expect(view.error?.message).toMatch(
      /^preflight: images.main: image "nn\/devchain:no-such-tag" is not on node/,
    );
    expect(await Promise.all(Object.values(nu.names).map(nu.daemonStart))).toEqual(startedBefore);
    expect(await nu.env.state.nodeUnits.getDesired()).toEqual(desiredBefore);
    expect(points.filter((p) => p.startsWith('stop-iguana'))).toEqual([]);
  });

  it('upgrades the whole node in the dPoW order, the reconcile never bringing Iguana back early', async () => {
    const { devchain: next, iguana: nextIguana } = await nu.altImages();
    points.length = 0;
    const logsFrom = nu.env.logs.length;
    const t0 = Date.now();
    const id = await nu.jobs.queue.upgradeNode(
      images({ destination: next, main: next, iguana: nextIguana, assetchains: next }),
    );
    const view = await waitForJob(nu.jobs, id, 240_000);
    const finished = Date.now();
    console.log(`whole-node upgrade (LTC, KMD, one chain, Iguana) in ${finished - t0} ms`);
    expect(view.error).toBeNull();
    expect(view.result).toMatchObject({
      upgraded: ['destination', 'main', `chain:${nu.chainId}`],
      already: [],
      iguana: { from: IGUANA_IMAGE, to: nextIguana },
      registered: 1,
      // The job waits until Iguana itself has the chain, not only its sidecar.
      notRegistered: [],
    });
    // Every daemon runs its new image; the desired state and the chain's spec say so.
    expect(await nu.daemonImage(nu.names.ltc)).toBe(next);
    expect(await nu.daemonImage(nu.names.kmd)).toBe(next);
    expect(await nu.daemonImage(nu.chainUnit)).toBe(next);
    expect(await nu.daemonImage(nu.names.iguana)).toBe(nextIguana);
    expect(await nu.desiredImages()).toMatchObject({
      ltcDaemon: next,
      kmdDaemon: next,
      iguanaDaemon: nextIguana,
    });
    const chain = await nu.env.state.chains.get(nu.chainId);
    expect([chain.spec.image, chain.status]).toEqual([next, 'ready']);
    // The order: Iguana stopped first, the daemons one at a time, unlock, Iguana last, then register.
    const order = [
      `stop-iguana|stopped|${nu.names.iguana}`,
      `wait-ready|ready|${nu.names.ltc}`,
      `wait-ready|ready|${nu.names.kmd}`,
      `wait-ready|ready|${nu.chainId}`,
      'unlock|unlocked',
      `start-iguana|deployed|${nu.names.iguana}`,
      `start-iguana|ready|${nu.names.iguana}`,
      `register|registered|${nu.chainId}`,
    ];
    const at = order.map((o) => points.findIndex((p) => p.startsWith(o)));
    expect(
      at.every((i) => i >= 0),
      points.join('\n'),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const [ltc, kmd, ac, iguana] = await Promise.all(
      [nu.names.ltc, nu.names.kmd, nu.chainUnit, nu.names.iguana].map(nu.daemonStart),
    );
    expect(ltc).toBeLessThan(kmd as number);
    expect(kmd).toBeLessThan(ac as number);
    expect(ac).toBeLessThan(iguana as number);
    // The sweep ran meanwhile (every 2 s) and found the node units' lease held: no redeploy of Iguana.
    const sweeps = (await nu.jobs.queue.queue.getJobs(['completed']))
      .filter((j) => j.name === 'reconcile' && (j.finishedOn ?? 0) > t0 && (j.finishedOn ?? 0) < finished)
      .map((j) => (j.returnvalue as { nodeUnits?: { outcome?: string } } | null)?.nodeUnits?.outcome);
    expect(sweeps).toContain('busy');
    expect(nu.env.logs.slice(logsFrom).join('')).not.toContain(
      'node unit is not running: deploying it again',
    );
    expect((await nu.iguanaCoins()).find((c) => c.name === nu.iguanaName)?.registered).toBe(true);
    const failed = (await nu.jobs.queue.queue.getJobs(['failed'])).filter((j) => j.name === 'node.upgrade');
    expect(failed).toHaveLength(1); // the refused one above
  });

  it('a daemon that never gets ready is rolled back; Iguana is started again on its image and the job fails', async () => {
    const before = await nu.desiredImages();
    // Its own queue and worker, with a short readiness bound (the devchain units are ready in seconds).
    const quick = await nu.env.start({ ...nu.config, queueName: 'nodeup-rb', readyTimeoutMs: 15_000 });
    const view = await waitForJob(
      quick,
      // The sidecar's image cannot run devchain's command line: recreated, never ready.
      await quick.queue.upgradeNode(images({ main: 'nn/chain-sidecar:0.1.0' })),
      240_000,
    );
    await quick.worker?.close();
    expect(view.state).toBe('failed');
    expect(view.error?.message).toContain(
      `main (${nu.names.kmd}): upgrade to nn/chain-sidecar:0.1.0 failed: `,
    );
    expect(view.error?.message).toContain(`rolled back to ${before.kmdDaemon}`);
    expect(view.error?.message).toContain(`Iguana started again on ${before.iguanaDaemon}`);
    expect(await nu.daemonImage(nu.names.kmd)).toBe(before.kmdDaemon);
    expect(await nu.desiredImages()).toEqual(before);
    for (const u of Object.values(nu.names)) expect(await nu.running(u)).toBe('running');
  });
});

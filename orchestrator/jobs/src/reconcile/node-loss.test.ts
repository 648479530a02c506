import { nodeInput } from '@nn/orchestrator-state/testing';
import { DockerRuntime } from '@nn/runtime';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobsDeps } from '../context.js';
import { isLost, noteAway, uncordon } from '../drain/node-marks.js';
import { SecretStore } from '../secrets/secret-store.js';
import { useTestQueue } from '../testing/test-queue.js';
import { watchNodeLoss } from './node-loss.js';

// The sweep's node-loss watch against the real Redis and BullMQ (no worker runs: the queued drain stays
// queued). The runtime is never asked anything here: the sweep hands the watch the nodes it saw away.

const q = useTestQueue({ nodeLostGraceMs: 60_000 });
const runtime = new DockerRuntime();
const deps = (): JobsDeps => ({
  config: q.config,
  state: q.state,
  runtime,
  secrets: new SecretStore('/tmp/nn-unused'),
  redis: q.t.redis,
  log: pino({ level: 'silent' }),
});
afterAll(() => runtime.close());

const drains = async () =>
  (await q.queue.queue.getJobs(['waiting', 'delayed'])).filter((j) => j.name === 'node.drain');

describe('watchNodeLoss', () => {
  it('waits out the grace, then cordons the node and queues one lost drain; an engine back changes nothing more', async () => {
    await q.state.nodes.upsert(nodeInput('e1', 2));
    await q.state.nodes.upsert(nodeInput('e2', 2));
    const away = new Set(['e2']);
    expect(await watchNodeLoss(deps(), q.queue, away)).toEqual([]);
    expect((await q.state.nodes.get('e2')).schedulable).toBe(true);
    expect(await drains()).toHaveLength(0);

    // Away since longer than the grace (the first sighting is kept, so back-date it).
    await q.t.redis.del(`${q.state.keys.prefix}nodes:away-since`);
    await noteAway(q.t.redis, q.state, away, ['e1', 'e2'], Date.now() - 61_000);
    expect(await watchNodeLoss(deps(), q.queue, away)).toEqual(['e2']);
    expect((await q.state.nodes.get('e2')).schedulable).toBe(false);
    expect((await q.state.nodes.get('e1')).schedulable).toBe(true);
    expect(await isLost(q.t.redis, q.state, 'e2')).toBe(true);
    const [drain, ...more] = await drains();
    expect(more).toEqual([]);
    expect(drain?.data).toEqual({ node: 'e2', mode: 'lost', requestedBy: 'node-loss' });

    // Still away at the next sweep: no second drain. Back: still cordoned (an operator undrains it).
    expect(await watchNodeLoss(deps(), q.queue, away)).toEqual([]);
    expect(await watchNodeLoss(deps(), q.queue, new Set())).toEqual([]);
    expect(await drains()).toHaveLength(1);
    expect((await q.state.nodes.get('e2')).schedulable).toBe(false);
    await uncordon(q.t.redis, q.state, 'e2');
    expect((await q.state.nodes.get('e2')).schedulable).toBe(true);
    expect(await isLost(q.t.redis, q.state, 'e2')).toBe(false);
  });
});

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApiKeys, buildApi } from '@nn/orchestrator-api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nnctl } from '../acceptance/orchestrator-process.js';
import {
  cutE2UntilHealed,
  NODE_LOSS_GRACE_MS,
  type NodeLossCluster,
  restoreE2UntilClean,
  startNodeLoss,
} from './node-loss.js';
import {
  addOnE1,
  allReadyOn,
  containersByNode,
  minedSpecs,
  type OrchestratedCluster,
} from './orchestrated.js';

// Issue 16 item 3 (and issue 15's two-engine chaos case) on the two-engine cluster (address slot 3):
// three chains on e1 are drained to e2 (their volumes streamed, a marker file proving the data came
// along), then e2's link is cut inside its namespace: once nodeLostGraceMs has passed the sweep declares
// e2 lost and its chains come back on e1 on fresh volumes; when the link is up again, the stale copies
// on e2 lose their containers (never two daemons of one chain), their volumes kept. The set-up and the
// cut are node-loss.ts's, shared with bench/recovery.ts. Bounded: each wait below names its bound; the
// file takes about two minutes.

vi.setConfig({ testTimeout: 300_000, hookTimeout: 240_000 });

const SPECS = minedSpecs(3);
const OPERATOR = randomBytes(24).toString('hex');
let nl: NodeLossCluster;
let oc: OrchestratedCluster;
let api: Awaited<ReturnType<typeof buildApi>>;
let apiUrl: string;
let keyFile: string;
const unitOf = (id: string) => `${oc.unitPrefix}${id}`;
const both = () => SPECS.flatMap((s) => [`${unitOf(s.id)}-daemon`, `${unitOf(s.id)}-sidecar`]).sort();
const operator = { authorization: `Bearer ${OPERATOR}` };

beforeAll(async () => {
  nl = await startNodeLoss({ slot: 3 });
  oc = nl.oc;
  api = await buildApi({
    redis: oc.redis,
    state: oc.state,
    queue: nl.jobs.queue,
    runtime: oc.runtime,
    keys: ApiKeys.of({ operator: [OPERATOR] }),
    defaults: { image: 'nn/devchain:0.1.0' },
    log: pino({ level: 'silent' }),
    dashboard: false,
  });
  await api.listen({ host: '127.0.0.1', port: 0 });
  apiUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  keyFile = join(oc.cluster.state, 'operator.key');
  writeFileSync(keyFile, `${OPERATOR}\n`, { mode: 0o600 });
  await addOnE1(oc, nl.jobs, SPECS);
});

afterAll(async () => {
  await api?.close().catch(() => undefined);
  await nl?.close();
});

describe('drain and node loss on the two-engine cluster', () => {
  it('drains e1: every chain runs on e2, ready, with its data; e1 is left empty and cordoned', async () => {
    await allReadyOn(oc.state, SPECS, 'e1');
    // A marker in each data volume: found on e2 afterwards, the volume was streamed, not made afresh.
    for (const spec of SPECS)
      await oc.runtime.putFiles('e1', `${unitOf(spec.id)}-data`, [
        { path: 'nn/drain-marker', content: oc.id },
      ]);
    // As an operator runs it: nnctl waits for the drain and every move it queued.
    const drainStart = Date.now();
    const run = await nnctl([
      '--api',
      apiUrl,
      '--key-file',
      keyFile,
      '--json',
      '--poll-interval',
      '300',
      'node',
      'drain',
      'e1',
      '--wait',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      drain: { state: string };
      moves: { state: string; chainId: string }[];
    };
    expect(out.drain.state).toBe('completed');
    expect(out.moves.map((m) => [m.chainId, m.state]).sort()).toEqual(
      SPECS.map((s) => [s.id, 'completed']).sort(),
    );
    await allReadyOn(oc.state, SPECS, 'e2');
    console.info(
      `drain of ${SPECS.length} chains done in ${((Date.now() - drainStart) / 1000).toFixed(1)} s`,
    );
    expect((await oc.state.nodes.get('e1')).schedulable).toBe(false);
    // Registered again at the new place: Iguana (on e1) reaches each sidecar at e2's published endpoint.
    for (const [name, upstream, deregistered] of nl.registrations(SPECS)) {
      expect(upstream, name).toMatch(new RegExp(`^http://${nl.e2Address().replace(/\./g, '\\.')}:\\d+$`));
      expect(deregistered, name).toBe(true);
    }
    expect(await containersByNode(oc)).toEqual({ e2: both() });
    for (const spec of SPECS) {
      const volume = `${unitOf(spec.id)}-data`;
      expect(await oc.runtime.moveFile('e2', volume, 'nn/drain-marker', 'nn/drain-marker.seen')).toBe(
        'moved',
      );
      // transfer: the old volume goes once the new copy is ready.
      const owned = (await oc.runtime.listOwned()).filter((r) => r.kind === 'volume' && r.name === volume);
      expect(owned.map((r) => r.node)).toEqual(['e2']);
    }
  });

  it("cuts e2's link: after the grace its chains come back on e1; with the link up, e2's copies go", async () => {
    const undrain = await api.inject({
      method: 'POST',
      url: '/v1/nodes/e1/undrain',
      headers: operator,
      payload: {},
    });
    expect(undrain.statusCode).toBe(200);
    // Bound: the grace, a sweep period, and each chain's fresh start on e1 (devchain, a few seconds).
    const times = await cutE2UntilHealed(nl, SPECS, NODE_LOSS_GRACE_MS + 150_000);
    // For docs/benchmarks.md's recovery section (issue 15): the heal time, grace included. Not asserted.
    console.info(
      `node loss healed ${(times.healedMs / 1000).toFixed(1)} s after the link cut (grace ${NODE_LOSS_GRACE_MS / 1000} s, e2 declared lost ${times.lostMs === undefined ? 'unseen' : `at ${(times.lostMs / 1000).toFixed(1)} s`})`,
    );
    expect((await oc.state.nodes.get('e2')).schedulable).toBe(false);
    // Back beside Iguana on e1: registered again by the sidecar's name on the cluster network.
    for (const [name, upstream] of nl.registrations(SPECS))
      expect(upstream, name).toMatch(new RegExp(`^http://${oc.unitPrefix}[a-z0-9-]+-sidecar:\\d+$`));
    expect((await containersByNode(oc)).e1).toEqual(both());

    // Bound: e2 answering again, then one sweep removing the stale containers.
    const goneMs = await restoreE2UntilClean(nl, 90_000);
    console.info(`stale copies on e2 gone ${(goneMs / 1000).toFixed(1)} s after the link came back`);
    expect(await containersByNode(oc)).toEqual({ e1: both() });
    // The stale copies' volumes stay on e2 (the old wallet.dat is never deleted).
    const volumes = (await oc.runtime.listOwned()).filter(
      (r) => r.kind === 'volume' && r.unit.startsWith(oc.unitPrefix),
    );
    expect(volumes.filter((v) => v.node === 'e2')).toHaveLength(SPECS.length);
    await allReadyOn(oc.state, SPECS, 'e1');
  });
});

import { ProcessTracker } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCrashWorker } from '../orchestrator/crash-runner.js';
import {
  addOnE1,
  allReadyOn,
  containersByNode,
  minedSpecs,
  type OrchestratedCluster,
  startOrchestratedCluster,
} from './orchestrated.js';

// Crash safety of chain.move on the two-engine cluster (address slot 4): a worker process is SIGKILLed
// at a point inside each step that changes something, and a fresh worker takes the stalled job over.
// Each run moves the chain to the other engine (stop-first, its volume streamed): it must end ready
// there, with one unit (two containers) and one data volume in the whole cluster, and the marker file
// written before the first move still in it. Two chains, each moved once per crash point in turn.

vi.setConfig({ testTimeout: 600_000, hookTimeout: 240_000 });

const CRASH_POINTS: ReadonlyArray<readonly [string, string]> = [
  ['deregister', 'deregistered'],
  ['stop', 'stopped'],
  ['place', 'released'],
  ['place', 'placed'],
  ['volumes', 'volume sent'],
  ['create', 'deploy sidecar-created'],
  ['start', 'deploy daemon-started'],
  ['import-key', 'imported'],
];
const SPECS = minedSpecs(2);
let oc: OrchestratedCluster;
const workers = new ProcessTracker();

beforeAll(async () => {
  oc = await startOrchestratedCluster({ slot: 4 });
  const adder = await oc.start();
  await addOnE1(oc, adder, SPECS);
  await adder.worker?.close();
  for (const spec of SPECS)
    await oc.runtime.putFiles('e1', `${oc.unitPrefix}${spec.id}-data`, [
      { path: 'nn/marker', content: spec.id },
    ]);
});
afterAll(async () => {
  await workers.close(0);
  await oc?.cleanup();
});

describe('chain.move survives its worker being killed in the middle of any step', () => {
  it('ends ready on the other engine with one unit, one volume and its data, after a crash at each step', async () => {
    const timings: string[] = [];
    await Promise.all(
      SPECS.map(async (spec, c) => {
        const unit = `${oc.unitPrefix}${spec.id}`;
        let from = 'e1';
        for (const [i, [step, point]] of CRASH_POINTS.entries()) {
          if (i % SPECS.length !== c) continue;
          const t0 = Date.now();
          const to = from === 'e1' ? 'e2' : 'e1';
          // Short locks: the fresh worker takes the killed one's job over within seconds.
          const config = oc.config({
            queueName: `mcrash-${spec.id}-${i}`,
            lockDurationMs: 3_000,
            stalledIntervalMs: 1_000,
          });
          const producer = await oc.start(config, { worker: false });
          const jobId = await producer.queue.moveChain(spec.id, from, 'transfer');
          const crashed = await runCrashWorker(
            workers,
            oc,
            config as Record<string, unknown>,
            `${step}|${point}`,
            { ...oc.runtimeConfig },
          );
          expect(crashed.stderr).toContain(`crashing at ${step} / ${point}`);
          expect(crashed.signal === 'SIGKILL' || crashed.code === 137).toBe(true);
          // A fresh worker takes the stalled job over.
          const recovery = await oc.start(config);
          const view = await oc.waitJob(recovery, jobId, 180_000);
          expect(view.error, `crash at ${step}|${point}`).toBeNull();
          expect(view.state).toBe('completed');
          await allReadyOn(oc.state, [spec], to);
          const owned = (await oc.runtime.listOwned()).filter((r) => r.unit === unit);
          expect(owned.filter((r) => r.kind === 'container').map((r) => r.node)).toEqual([to, to]);
          expect(owned.filter((r) => r.kind === 'volume').map((r) => `${r.node}/${r.name}`)).toEqual([
            `${to}/${unit}-data`,
          ]);
          // The marker is there (the data came along); renamed and back, so the next move finds it too.
          expect(await oc.runtime.moveFile(to, `${unit}-data`, 'nn/marker', 'nn/marker.seen')).toBe('moved');
          expect(await oc.runtime.moveFile(to, `${unit}-data`, 'nn/marker.seen', 'nn/marker')).toBe('moved');
          await recovery.worker?.close();
          timings.push(`${step}|${point}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          from = to;
        }
      }),
    );
    console.info(`chain.move crash runs: ${timings.join('; ')}`);
    expect(Object.values(await containersByNode(oc)).flat()).toHaveLength(SPECS.length * 2);
  });

  it('moves with --resync on a fresh volume, the old one (and its wallet.dat) kept where it was', async () => {
    const spec = SPECS[0];
    if (!spec) throw new Error('no chain');
    const unit = `${oc.unitPrefix}${spec.id}`;
    const from = (await oc.state.chains.get(spec.id)).placement?.node ?? '';
    const to = from === 'e1' ? 'e2' : 'e1';
    const jobs = await oc.start(oc.config({ queueName: 'mresync' }));
    const view = await oc.waitJob(jobs, await jobs.queue.moveChain(spec.id, from, 'resync'), 150_000);
    expect(view.error).toBeNull();
    expect(view.result).toMatchObject({
      to,
      mode: 'resync',
      keptVolume: { node: from, volume: `${unit}-data` },
    });
    await allReadyOn(oc.state, [spec], to);
    const owned = (await oc.runtime.listOwned()).filter((r) => r.unit === unit);
    expect(owned.filter((r) => r.kind === 'container').map((r) => r.node)).toEqual([to, to]);
    expect(
      owned
        .filter((r) => r.kind === 'volume')
        .map((r) => r.node)
        .sort(),
    ).toEqual(['e1', 'e2']);
    // Fresh: the marker stayed in the old volume.
    expect(await oc.runtime.moveFile(to, `${unit}-data`, 'nn/marker', 'nn/marker.seen')).toBe('missing');
    expect(await oc.runtime.moveFile(from, `${unit}-data`, 'nn/marker', 'nn/marker.seen')).toBe('moved');
    await jobs.worker?.close();
  });
});

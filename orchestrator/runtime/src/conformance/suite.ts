import { randomBytes } from 'node:crypto';
import { claim } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import type { DeployStep } from '../types/deploy-options.js';
import type { LogChunk } from '../types/logs-options.js';
import type { NodeInfo } from '../types/node-info.js';
import type { OwnedResource } from '../types/owned-resource.js';
import type { RuntimeEvent } from '../types/runtime-event.js';
import type { UnitSpec } from '../types/unit-spec.js';
import type { ForeignResources } from './foreign-resources.js';
import { type SampleImages, sampleKmdFiles, sampleKmdUnit } from './sample-unit.js';
import { daemonAnswers, eventually, httpStatus } from './wait.js';

export interface ConformanceOptions {
  /** Suite title suffix, e.g. 'docker, local engine'. */
  readonly label: string;
  /** Resources with clashing names made behind the runtime's back. */
  readonly foreign: ForeignResources;
  /** Images of the sample unit; they must be on some node. Default nn/devchain:latest and nn/chain-sidecar:latest. */
  readonly images?: SampleImages;
  /** Which node the suite deploys on. Default: the last reachable node. */
  readonly pickNode?: (nodes: readonly NodeInfo[]) => string;
  /** First of 10 host ports the suite may bind. Default: random in 31000-38990. */
  readonly portBase?: number;
  /** The cluster network the runtime uses (its default). Default 'nn-cluster'. */
  readonly network?: string;
  /**
   * Whether the adapter sends volumes between nodes (transferVolume). 'not-supported' adapters must
   * say so with NOT_SUPPORTED. Default 'supported'; with one reachable node only its refusals are checked.
   */
  readonly volumeTransfer?: 'supported' | 'not-supported';
}

const STEPS: DeployStep[] = [
  'checked',
  'volume',
  'sidecar-created',
  'files',
  'sidecar-started',
  'daemon-created',
  'daemon-started',
];

/** A log read to its end, with the streams it came on. */
async function readLogs(chunks: AsyncIterable<LogChunk>): Promise<{ text: string; streams: Set<string> }> {
  let text = '';
  const streams = new Set<string>();
  for await (const c of chunks) {
    text += c.text;
    streams.add(c.stream);
  }
  return { text, streams };
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<RuntimeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RuntimeError);
    return err as RuntimeError;
  }
  throw new Error('expected a rejection');
}

/**
 * The behaviour every Runtime adapter must show, against real infrastructure. It makes units named
 * `cf<random>-...` on one node and removes them all at the end; counts of owned resources are taken
 * per unit so other users of the same engine do not disturb them.
 */
export function runtimeConformance(
  makeRuntime: () => Runtime | Promise<Runtime>,
  options: ConformanceOptions,
): void {
  const images = options.images ?? { daemon: 'nn/devchain:latest', sidecar: 'nn/chain-sidecar:latest' };
  const prefix = `cf${randomBytes(3).toString('hex')}`;
  // Claimed for the test run: if the run is killed, the next one removes these units (@nn/testkit).
  claim({ kind: 'docker', prefix });
  const base = options.portBase ?? 31000 + Math.floor(Math.random() * 799) * 10;
  let rt: Runtime;
  let node: string;
  let networkBefore = true;
  const networkName = options.network ?? 'nn-cluster';
  // Other users of the engine own networks of their own: only the runtime's cluster network counts.
  const clusterNetworks = async () =>
    (await rt.listOwned()).filter((r) => r.kind === 'network' && r.name === networkName);

  // Sorted: engines list resources in no stable order.
  const ours = async (): Promise<OwnedResource[]> =>
    (await rt.listOwned())
      .filter((r) => r.unit.startsWith(prefix))
      .sort((a, b) => `${a.node}/${a.kind}/${a.name}`.localeCompare(`${b.node}/${b.kind}/${b.name}`));
  const ofUnit = async (unit: string) => (await rt.listOwned()).filter((r) => r.unit === unit);
  const unit = (suffix: string, hostPort: number, extra: Partial<Parameters<typeof sampleKmdUnit>[0]> = {}) =>
    sampleKmdUnit({
      name: `${prefix}-${suffix}`,
      node,
      hostPort,
      images,
      labels: { 'nn.suite': prefix },
      ...extra,
    });

  describe(`Runtime conformance: ${options.label}`, () => {
    beforeAll(async () => {
      rt = await makeRuntime();
      const nodes = await rt.nodes();
      node = options.pickNode
        ? options.pickNode(nodes)
        : (nodes.filter((n) => n.reachable).at(-1)?.name ?? 'none');
      networkBefore = (await clusterNetworks()).length > 0;
      await rt.ensureNetwork();
      await rt.ensureImage(node, images.daemon);
      await rt.ensureImage(node, images.sidecar);
    });

    afterAll(async () => {
      if (!rt) return;
      const left = new Set((await ours()).map((r) => r.unit));
      for (const u of left) await rt.removeUnit(u, { volumes: true, timeoutSec: 10 });
      // The cluster network is shared: removed only if this suite made it (and nothing uses it).
      if (!networkBefore) await rt.removeNetwork();
      await rt.close();
    });

    it('makes the cluster network once per node and removes it only when unused', async () => {
      await rt.ensureNetwork();
      await rt.ensureNetwork();
      const nets = (await clusterNetworks()).filter((r) => r.node === node);
      expect(nets).toHaveLength(1);
      expect((await rejection(rt.ensureNetwork('bad name!'))).code).toBe('INVALID_SPEC');
    });

    it('lists its nodes with capacity and an address', async () => {
      const nodes = await rt.nodes();
      const n = nodes.find((x) => x.name === node);
      expect(n?.reachable).toBe(true);
      expect(n?.capacity?.memoryBytes).toBeGreaterThan(64 * 1024 * 1024);
      expect(n?.capacity?.cpus).toBeGreaterThanOrEqual(1);
      expect(n?.address).toMatch(/^[0-9a-f.:]+$/);
    });

    it('rejects bad input with typed errors naming the field, and makes nothing', async () => {
      const before = await ours();
      const good = unit('bad', base).spec;
      const cases: Array<[unknown, RegExp]> = [
        [{ ...good, name: '../evil;rm -rf /' }, /^name: /],
        [{ ...good, privileged: true }, /privileged/],
        [{ ...good, sidecar: { ...good.sidecar, hostPort: 70000 } }, /^sidecar\.hostPort: /],
        [{ ...good, sidecar: { ...good.sidecar, hostPort: '8080' } }, /^sidecar\.hostPort: /],
        [{ ...good, labels: { 'nn.managed-by': 'me' } }, /^labels\.nn\.managed-by: /],
        [
          { ...good, ports: [{ container: 7770, host: base }] },
          /^ports\.0\.host: duplicates sidecar\.hostPort/,
        ],
        [{ ...good, files: [{ path: '../../etc/passwd', content: 'x' }] }, /^files\.0\.path: /],
      ];
      for (const [spec, field] of cases) {
        const err = await rejection(rt.deployUnit(spec as UnitSpec));
        expect(err.code).toBe('INVALID_SPEC');
        expect((err as RuntimeError & { issues: string[] }).issues.some((i) => field.test(i))).toBe(true);
      }
      expect((await rejection(rt.deployUnit({ ...good, node: 'no-such-node' }))).code).toBe('NODE_NOT_FOUND');
      expect((await rejection(rt.inspectUnit(`${prefix}-absent`))).code).toBe('UNIT_NOT_FOUND');
      expect((await rejection(rt.stopUnit(`${prefix}-absent`))).code).toBe('UNIT_NOT_FOUND');
      expect((await rejection(rt.inspectUnit('Bad Name'))).code).toBe('INVALID_SPEC');
      expect((await rejection(rt.ensureImage(node, 'nn/absent-image:0'))).code).toBe('IMAGE_UNAVAILABLE');
      expect((await rejection(rt.deployUnit({ ...good, daemon: { image: 'nn/absent-image:0' } }))).code).toBe(
        'IMAGE_UNAVAILABLE',
      );
      expect(await ours()).toEqual(before);
    });

    it('deploys a unit whose sidecar answers on its endpoint, idempotently', async () => {
      const { spec, viewerToken } = unit('idem', base + 1, { p2pPort: base + 2 });
      const [a, b] = await Promise.all([rt.deployUnit(spec), rt.deployUnit(spec)]);
      const c = await rt.deployUnit(spec);
      expect(a.state).toBe('running');
      expect(new Set([a, b, c].map((h) => h.sidecar?.id)).size).toBe(1);
      expect(new Set([a, b, c].map((h) => h.daemon?.id)).size).toBe(1);
      const mine = await ofUnit(spec.name);
      expect(mine.filter((r) => r.kind === 'container')).toHaveLength(2);
      expect(mine.filter((r) => r.kind === 'volume')).toHaveLength(1);
      expect(a.endpoint).toMatch(new RegExp(`:${base + 1}$`));
      await eventually(
        async () => ((await httpStatus(`${a.endpoint}/healthz`)) === 200 ? true : undefined),
        60_000,
        'healthz',
      );
      // The token came in a file: a 200 proves the files reached the unit, readable by its uid.
      expect(await httpStatus(`${a.endpoint}/v1/status`, viewerToken)).toBe(200);
      expect(await httpStatus(`${a.endpoint}/v1/status`, 'wrong-token')).toBe(401);
      const listed = await rt.listUnits({ labels: { 'nn.suite': prefix } });
      expect(listed.map((u) => u.name)).toContain(spec.name);
      expect((await rt.listUnits({ labels: { 'nn.suite': 'other' } })).map((u) => u.name)).not.toContain(
        spec.name,
      );
    });

    it('finishes the unit after a crash at any deploy step, never duplicating it', async () => {
      const { spec } = unit('crash', base + 3);
      for (const crashAt of STEPS) {
        const err = await (async () => {
          try {
            await rt.deployUnit(spec, {
              onStep: (s) => {
                if (s === crashAt) throw new Error(`crash after ${s}`);
              },
            });
          } catch (e) {
            return e as Error;
          }
          return null;
        })();
        expect(err?.message).toBe(`crash after ${crashAt}`);
        const h = await rt.deployUnit(spec);
        expect(h.state, `after a crash at ${crashAt}`).toBe('running');
        const mine = await ofUnit(spec.name);
        expect(
          mine.filter((r) => r.kind === 'container'),
          `after a crash at ${crashAt}`,
        ).toHaveLength(2);
        expect(mine.filter((r) => r.kind === 'volume')).toHaveLength(1);
        // Short: the daemon may not handle SIGTERM yet this early; graceful stops are tested below.
        await rt.removeUnit(spec.name, { volumes: true, timeoutSec: 3 });
        expect(await ofUnit(spec.name)).toEqual([]);
      }
    });

    it('replaces its own leftover made from another config, and refuses foreign resources', async () => {
      const first = unit('drift', base + 4, { daemonArgs: ['-devblocktime=1'] });
      const a = await rt.deployUnit(first.spec);
      await daemonAnswers(a.endpoint, first.viewerToken);
      const b = await rt.deployUnit({
        ...first.spec,
        daemon: { ...first.spec.daemon, cmd: ['-devblocktime=2'] },
      });
      expect(b.state).toBe('running');
      expect(b.daemon?.id).not.toBe(a.daemon?.id);
      expect(b.daemon?.specHash).not.toBe(a.daemon?.specHash);
      expect((await ofUnit(first.spec.name)).filter((r) => r.kind === 'container')).toHaveLength(2);

      const fc = unit('fc', base + 5).spec;
      await options.foreign.container(node, `${fc.name}-sidecar`);
      const fv = unit('fv', base + 5).spec;
      await options.foreign.volume(node, `${fv.name}-data`);
      try {
        const e1 = await rejection(rt.deployUnit(fc));
        expect(e1.code).toBe('NOT_OWNED');
        expect(e1.message).toContain(`${fc.name}-sidecar`);
        const e2 = await rejection(rt.deployUnit(fv));
        expect(e2.code).toBe('NOT_OWNED');
        expect(e2.message).toContain(`${fv.name}-data`);
        expect(
          (await rejection(rt.putFiles(node, `${fv.name}-data`, [{ path: 'x', content: 'y' }]))).code,
        ).toBe('NOT_OWNED');
        expect((await rejection(rt.moveFile(node, `${fv.name}-data`, 'a', 'b'))).code).toBe('NOT_OWNED');
        expect(await options.foreign.exists(node, 'container', `${fc.name}-sidecar`)).toBe(true);
        expect(await options.foreign.exists(node, 'volume', `${fv.name}-data`)).toBe(true);
        expect(await ofUnit(fc.name)).toEqual([]);
        expect(await ofUnit(fv.name)).toEqual([]);
        // Removing a unit that only has a foreign namesake leaves the namesake alone.
        await rt.removeUnit(fv.name, { volumes: true });
        expect(await options.foreign.exists(node, 'volume', `${fv.name}-data`)).toBe(true);
      } finally {
        await options.foreign.remove(node, 'container', `${fc.name}-sidecar`);
        await options.foreign.remove(node, 'volume', `${fv.name}-data`);
      }
    });

    it('renames a file inside its volume without ever overwriting, and says what it found', async () => {
      const volume = `${prefix}-mv-data`;
      await rt.ensureVolume(node, volume, `${prefix}-mv`);
      await rt.putFiles(node, volume, [{ path: '.komodo/wallet.dat', content: 'old wallet' }]);
      expect(await rt.moveFile(node, volume, '.komodo/wallet.dat', '.komodo/wallet.dat.bak')).toBe('moved');
      expect(await rt.moveFile(node, volume, '.komodo/wallet.dat', '.komodo/wallet.dat.bak')).toBe(
        'already-moved',
      );
      // A daemon that started again made a fresh wallet.dat: the kept one is never overwritten.
      await rt.putFiles(node, volume, [{ path: '.komodo/wallet.dat', content: 'fresh wallet' }]);
      expect(await rt.moveFile(node, volume, '.komodo/wallet.dat', '.komodo/wallet.dat.bak')).toBe(
        'target-exists',
      );
      expect(await rt.moveFile(node, volume, '.komodo/absent', '.komodo/absent.bak')).toBe('missing');
      for (const [from, to] of [
        ['../etc/passwd', 'x'],
        ['/abs', 'x'],
        ['a', 'a/../../b'],
        ['a', 'a'],
      ] as const)
        expect((await rejection(rt.moveFile(node, volume, from, to))).code).toBe('INVALID_SPEC');
      expect((await rejection(rt.moveFile(node, `${prefix}-absent-data`, 'a', 'b'))).code).toBe(
        'VOLUME_NOT_FOUND',
      );
      await rt.removeUnit(`${prefix}-mv`, { volumes: true });
      expect(await ofUnit(`${prefix}-mv`)).toEqual([]);
    });

    it('mounts a shared volume into several units, made once, kept while in use, refused when foreign', async () => {
      const shared = `${prefix}-shared`;
      // Below the data volume's path, as $HOME/.zcash-params is in a unit whose HOME is the volume.
      const mounts = [{ volume: shared, path: '/data/.zcash-params', readOnly: true }];
      const a = unit('sha', base + 10);
      const b = unit('shb', base + 11);
      const foreign = unit('shf', base + 12);
      await options.foreign.volume(node, `${prefix}-shforeign`);
      try {
        const [ha, hb] = [
          await rt.deployUnit({ ...a.spec, mounts }),
          await rt.deployUnit({ ...b.spec, mounts }),
        ];
        await daemonAnswers(ha.endpoint, a.viewerToken);
        await daemonAnswers(hb.endpoint, b.viewerToken);
        const vols = (await ours()).filter((r) => r.kind === 'volume' && r.name === shared);
        expect(vols.map((r) => r.unit)).toEqual([a.spec.name]);
        // Unchanged spec, unchanged unit: the mount is part of the spec.
        expect((await rt.deployUnit({ ...a.spec, mounts })).daemon?.id).toBe(ha.daemon?.id);
        // The unit that made it goes, the other still mounts it: it stays.
        await rt.removeUnit(a.spec.name, { volumes: true, timeoutSec: 10 });
        expect((await ours()).some((r) => r.kind === 'volume' && r.name === shared)).toBe(true);
        await rt.removeUnit(b.spec.name, { volumes: true, timeoutSec: 10 });
        await rt.removeUnit(a.spec.name, { volumes: true });
        expect((await ours()).some((r) => r.kind === 'volume' && r.name === shared)).toBe(false);

        const f = { ...foreign.spec, mounts: [{ volume: `${prefix}-shforeign`, path: '/shared' }] };
        const e = await rejection(rt.deployUnit(f));
        expect(e.code).toBe('NOT_OWNED');
        expect(e.message).toContain(`${prefix}-shforeign`);
        expect(await ofUnit(f.name)).toEqual([]);
        const bad = await rejection(
          rt.deployUnit({ ...a.spec, mounts: [{ volume: shared, path: '/data' }] }),
        );
        expect(bad.code).toBe('INVALID_SPEC');
        expect(bad.message).toContain('mounts.0.path');
      } finally {
        await options.foreign.remove(node, 'volume', `${prefix}-shforeign`);
        for (const u of [a, b, foreign]) await rt.removeUnit(u.spec.name, { volumes: true, timeoutSec: 10 });
      }
    });

    it('fails on a taken host port with a typed error and leaves nothing half-made', async () => {
      const holder = await rt.deployUnit(unit('holder', base + 6, { p2pPort: base + 7 }).spec);
      expect(holder.state).toBe('running');
      const before = await ours();
      const onApi = await rejection(rt.deployUnit(unit('clash1', base + 6).spec));
      expect(onApi.code).toBe('PORT_CONFLICT');
      expect(onApi.message).toContain(String(base + 6));
      const onP2p = await rejection(rt.deployUnit(unit('clash2', base + 8, { p2pPort: base + 7 }).spec));
      expect(onP2p.code).toBe('PORT_CONFLICT');
      expect(await ours()).toEqual(before);
    });

    it('stops gracefully with a long timeout, restarts, and reports events', async () => {
      const events: RuntimeEvent[] = [];
      const abort = new AbortController();
      const stream = rt.events({ signal: abort.signal });
      const reader = (async () => {
        for await (const e of stream) events.push(e);
      })();
      try {
        const { spec, viewerToken } = unit('stop', base + 9, { stopTimeoutSec: 200 });
        const h = await rt.deployUnit(spec);
        expect(h.daemon?.stopTimeoutSec).toBe(200);
        expect(h.sidecar?.stopTimeoutSec).toBe(200);
        await daemonAnswers(h.endpoint, viewerToken);
        const t0 = Date.now();
        const stopped = await rt.stopUnit(spec.name);
        expect(Date.now() - t0).toBeLessThan(60_000);
        expect(stopped.state).toBe('stopped');
        // Exit 0: the daemon shut down on SIGTERM by itself; a kill after a time-out would be 137.
        expect(stopped.daemon?.exitCode).toBe(0);
        const restarted = await rt.restartUnit(spec.name);
        expect(restarted.state).toBe('running');
        expect(restarted.sidecar?.id).toBe(h.sidecar?.id);
        await eventually(
          async () => ((await httpStatus(`${h.endpoint}/healthz`)) === 200 ? true : undefined),
          60_000,
          'healthz',
        );
        await rt.removeUnit(spec.name, { volumes: true });
        const seen = (role: string, action: string) =>
          events.some(
            (e) => e.kind === 'container' && e.unit === spec.name && e.role === role && e.action === action,
          );
        await eventually(
          async () => (seen('sidecar', 'destroy') && seen('daemon', 'destroy') ? true : undefined),
          20_000,
          'destroy events',
        );
        for (const role of ['sidecar', 'daemon'])
          for (const a of ['start', 'die']) expect(seen(role, a), `${role} ${a}`).toBe(true);
        const dies = events.filter(
          (e) => e.kind === 'container' && e.unit === spec.name && e.action === 'die',
        );
        expect(dies.every((e) => e.kind === 'container' && e.exitCode === 0)).toBe(true);
        // Only owned unit containers: nothing of other units or of helpers.
        expect(
          events.every(
            (e) => e.kind !== 'container' || e.unit.startsWith(prefix) || !e.unit.startsWith('cf'),
          ),
        ).toBe(true);
      } finally {
        abort.abort();
        await reader;
      }
    });

    it('removes a unit, keeping its data volume unless asked, and puts files into a volume', async () => {
      const { spec, viewerToken } = unit('rm', base + 9);
      await daemonAnswers((await rt.deployUnit(spec)).endpoint, viewerToken);
      await rt.removeUnit(spec.name);
      expect((await ofUnit(spec.name)).map((r) => r.kind)).toEqual(['volume']);
      expect((await rejection(rt.inspectUnit(spec.name))).code).toBe('UNIT_NOT_FOUND');
      await rt.removeUnit(spec.name);
      await rt.removeUnit(spec.name, { volumes: true });
      expect(await ofUnit(spec.name)).toEqual([]);

      // Files put before the unit exists, through putFiles: the unit then runs from them.
      const viewer = randomBytes(24).toString('hex');
      const pf = unit('pf', base + 9, { withFiles: false, volumeName: `${prefix}-pf-vol` }).spec;
      expect((await rejection(rt.putFiles(node, `${prefix}-pf-vol`, sampleKmdFiles(viewer)))).code).toBe(
        'VOLUME_NOT_FOUND',
      );
      await rt.ensureVolume(node, `${prefix}-pf-vol`, pf.name, { 'nn.suite': prefix });
      await rt.putFiles(node, `${prefix}-pf-vol`, sampleKmdFiles(viewer));
      const h = await rt.deployUnit(pf);
      await daemonAnswers(h.endpoint, viewer);
      await rt.removeUnit(pf.name, { volumes: true });
      expect(await ofUnit(pf.name)).toEqual([]);
    });

    it('sends a stopped volume to another node with its files, modes and owners, never one in use', async () => {
      const volume = `${prefix}-tv-vol`;
      const name = `${prefix}-tv`;
      if (options.volumeTransfer === 'not-supported') {
        expect((await rejection(rt.transferVolume(node, node, volume, name))).code).toBe('NOT_SUPPORTED');
        return;
      }
      expect((await rejection(rt.transferVolume(node, node, volume, name))).code).toBe('INVALID_SPEC');
      expect((await rejection(rt.transferVolume(node, 'no-such-node', volume, name))).code).toBe(
        'NODE_NOT_FOUND',
      );
      const other = (await rt.nodes()).find((n) => n.reachable && n.name !== node)?.name;
      if (other === undefined) return; // one engine: nowhere to send to, the refusals above are all there is
      expect((await rejection(rt.transferVolume(node, other, volume, name))).code).toBe('VOLUME_NOT_FOUND');
      const viewer = randomBytes(24).toString('hex');
      await rt.ensureVolume(node, volume, name, { 'nn.suite': prefix });
      await rt.putFiles(node, volume, sampleKmdFiles(viewer));
      const sent = await rt.transferVolume(node, other, volume, name);
      expect(sent).toMatchObject({ volume, from: node, to: other });
      expect(sent.bytes).toBeGreaterThan(0);
      // The sidecar (uid 10001) reads its 0600 token file: the copy kept the files' owners and modes.
      const moved = unit('tv', base + 9, { withFiles: false, volumeName: volume });
      const h = await rt.deployUnit({ ...moved.spec, node: other });
      expect(h.node).toBe(other);
      await daemonAnswers(h.endpoint, viewer);
      expect((await rejection(rt.transferVolume(other, node, volume, name))).code).toBe('VOLUME_IN_USE');
      // Only the copy on `other` goes; the source volume stays as it was.
      await rt.removeUnit(name, { node: other, volumes: true, timeoutSec: 10 });
      expect((await ofUnit(name)).map((r) => `${r.node}/${r.kind}`)).toEqual([`${node}/volume`]);
      await rt.removeUnit(name, { volumes: true });
      expect(await ofUnit(name)).toEqual([]);
    });

    it("streams a unit's daemon or sidecar log, following until aborted, and only of units it owns", async () => {
      const { spec, viewerToken } = unit('logs', base + 9);
      const fl = unit('fl', base + 9).spec;
      try {
        await daemonAnswers((await rt.deployUnit(spec)).endpoint, viewerToken);
        const daemon = await readLogs(await rt.logs(spec.name));
        const sidecar = await readLogs(await rt.logs(spec.name, { container: 'sidecar' }));
        expect(daemon.text).toContain('KMD');
        expect(sidecar.text).toContain('chain-sidecar');
        expect(daemon.text).not.toContain('chain-sidecar');
        const last = await readLogs(await rt.logs(spec.name, { container: 'sidecar', tail: 1 }));
        expect(last.text.trim().split('\n')).toHaveLength(1);
        expect(sidecar.text.trimEnd().endsWith(last.text.trimEnd())).toBe(true);
        const future = new Date(Date.now() + 3_600_000);
        expect((await readLogs(await rt.logs(spec.name, { since: future }))).text).toBe('');

        // Following: what is there comes at once, then the stream stays open until the signal aborts.
        const abort = new AbortController();
        const followed = await rt.logs(spec.name, {
          container: 'sidecar',
          follow: true,
          signal: abort.signal,
        });
        let seen = '';
        let ended = false;
        const reader = (async () => {
          for await (const c of followed) seen += c.text;
          ended = true;
        })();
        await eventually(async () => (seen.includes('chain-sidecar') ? true : undefined), 30_000, 'followed');
        expect(ended).toBe(false);
        abort.abort();
        await reader;
        expect(ended).toBe(true);

        expect((await rejection(rt.logs(`${prefix}-absent`))).code).toBe('UNIT_NOT_FOUND');
        expect((await rejection(rt.logs('Bad Name'))).code).toBe('INVALID_SPEC');
        const bad = { container: 'shell' } as unknown as { container: 'daemon' };
        expect((await rejection(rt.logs(spec.name, bad))).code).toBe('INVALID_SPEC');
        // A container with a unit's name that the runtime did not make is not read.
        await options.foreign.container(node, `${fl.name}-daemon`);
        expect((await rejection(rt.logs(fl.name))).code).toBe('NOT_OWNED');
        expect(await options.foreign.exists(node, 'container', `${fl.name}-daemon`)).toBe(true);
      } finally {
        await options.foreign.remove(node, 'container', `${fl.name}-daemon`);
        await rt.removeUnit(spec.name, { volumes: true, timeoutSec: 10 });
      }
    });
  });
}

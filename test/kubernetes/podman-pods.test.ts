import { randomBytes } from 'node:crypto';
import type { UnitSpec } from '@nn/runtime';
import { type KubeUnitOptions, type UnitObjects, unitObjects } from '@nn/runtime/kubernetes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podman, podmanPrefix, removePodmanObjects } from './podman-cli.js';
import { PodmanNode, sidecarGet } from './podman-node.js';
import type { PlayedPod } from './podman-play.js';
import type { KubeObject } from './podman-pod.js';
import { type DevnetUnits, devnetUnits } from './podman-units.js';

// The kubernetes adapter's REAL pod templates (unitObjects from @nn/runtime/kubernetes, for the unit
// specs the orchestrator makes for a devnet node) played for real by Debian's podman 4.3 with
// `podman kube play`: no Kubernetes cluster can run on these machines.
//
// Proven here, per pod: the files init step copies the Secret's files into the data volume (0600, the
// images' uid); the native sidecar starts next and its startupProbe (/healthz) passes only once it
// has written its bridges' conf files, before the daemon starts; the daemon then runs on the pod's
// localhost (its RPC answers the sidecar's container on 127.0.0.1 and not the pod's address, /readyz
// turns 200, /v1/status reads its chain);
// a unit's bridge reaches another unit's sidecar by its headless Service's name; the p2p hostPort is
// published; a stop gives the daemon SIGTERM and it exits 0 within terminationGracePeriodSeconds,
// which is the unit's stop timeout. For the node's LTC, KMD and Iguana units and an assetchain.
//
// What podman 4.3 cannot play, and how this test stands in for it (docs/kubernetes.md says the same):
// - StatefulSet: played as the one Pod it makes (`<unit>-0`), with its template unchanged otherwise;
//   no controller recreates it, no rolling update, no ordinal identity beyond the name and hostname;
// - native sidecars (init containers with restartPolicy Always): podman runs init containers once,
//   to completion, and starts a pod's containers in no fixed order (seen here). The sidecar is played
//   as the first ordinary container, and this test starts the containers in the kubelet's order
//   (init steps, sidecar until its startupProbe passes, daemon) and stops them in the kubelet's order
//   (daemon, then sidecar). That order is the kubelet's (Kubernetes 1.29+), so it is the test's
//   rendition, not podman's: the proof is that the template works when started that way;
// - restarts: podman 4.3 applies the pod's restartPolicy (Always) to init containers too and re-ran
//   the files step endlessly (seen here), so the pod is played with Never: a crash is a failure here,
//   and the kubelet's restarts (with back-off, sidecar outliving the daemon's restarts) are not proven;
// - probes: podman 4.3 runs none of them here (httpGet liveness only, with curl, which the images lack,
//   and only under systemd); they are evaluated by the test from outside, at the pod's address, as
//   the kubelet does; a failing liveness probe restarts nothing under podman;
// - terminationGracePeriodSeconds: podman gives containers its own 10 s; the test stops with the
//   template's value (`podman stop --time`);
// - Secret volumes: podman 4.3 writes a Secret's data still base64-encoded, drops stringData and
//   ignores modes (seen here), so the files the kubelet would project (decoded, defaultMode, fsGroup
//   group) are written to a read-only hostPath directory instead;
// - PersistentVolumeClaims: played as podman volumes of the claim's name; storage class, size and
//   access modes are not (one host); fsGroup is not applied (the volume is chowned to the first user);
// - Services: no cluster DNS or virtual IPs (Debian's podman has no dnsname plugin): each Service name
//   (<name>, <name>.<ns>, ... .svc.cluster.local) of an already played pod is a hostAlias to its address;
//   NodePort and LoadBalancer Services (p2p exposure other than hostPort) are not played at all;
// - pod annotations over 63 characters: left out (podman 4.3 refuses them as if they were labels);
// - containerPorts without hostPort: left out (podman 4.3 would publish each on the host's same port);
// - NetworkPolicy: not enforced (podman has no policy); what it admits needs a real cluster;
// - affinity, node selection, requests (limits are applied), automountServiceAccountToken,
//   seccompProfile, fsGroupChangePolicy: no scheduler and no API server here;
// - the adapter's API calls, watches, ownership checks and the conformance suite: `pnpm test:kubernetes`
//   against a real cluster (NN_KUBECONFIG).

const OPTIONS: KubeUnitOptions = {
  namespace: 'nn-devnet',
  // hostPort: the one p2p exposure podman plays (it publishes the port on the host).
  p2pExposure: 'hostPort',
  orchestrator: { podLabels: { 'app.kubernetes.io/name': 'nn-orchestrator' } },
};
/** The object kinds of a unit that podman does not play (see above); every other kind is played. */
const NOT_PLAYED = ['NetworkPolicy', 'PersistentVolumeClaim'] as const;

const prefix = `${podmanPrefix()}u-`;
const node = new PodmanNode(prefix, OPTIONS.namespace);
let units: DevnetUnits;
const objects = new Map<string, UnitObjects>();

const objectsOf = (o: UnitObjects): KubeObject[] =>
  [o.statefulSet, o.service, o.p2pService, o.secret, o.networkPolicy, o.dataClaim, ...o.sharedClaims]
    .filter((x) => x !== null)
    .map((x) => JSON.parse(JSON.stringify(x)) as KubeObject);

/** The adapter's objects of a unit (unitObjects), its pod played in the kubelet's order. */
function play(spec: UnitSpec, atGate?: (pod: PlayedPod) => Promise<void>): Promise<PlayedPod> {
  const mine = unitObjects(spec, OPTIONS);
  objects.set(spec.name, mine);
  return node.play(objectsOf(mine), atGate);
}

/** The unit's viewer token (its tokens file). */
function viewer(spec: UnitSpec): string {
  const tokens = spec.files?.find((f) => f.path.endsWith('nn/tokens.json'));
  const token = (JSON.parse(String(tokens?.content)) as { viewer: string[] }).viewer[0];
  if (!token) throw new Error(`${spec.name} has no viewer token`);
  return token;
}

/** What a unit's sidecar config says its bridges write (conf files of the upstreams). */
function bridgeConfs(spec: UnitSpec): string[] {
  const file = spec.files?.find((f) => f.path.endsWith('nn/sidecar.json'));
  const cfg = JSON.parse(String(file?.content)) as { bridges?: { confPath: string }[] };
  return (cfg.bridges ?? []).map((b) => b.confPath);
}

beforeAll(async () => {
  await node.setUp();
  units = await devnetUnits(prefix, 'node-a', node.dir);
});

afterAll(() => node.tearDown());

describe('the kubernetes adapter’s pod templates under podman kube play', () => {
  it('removes a killed run’s podman objects by their nnk<run>- name, never this run’s', async () => {
    const dead = `nnkz${randomBytes(3).toString('hex')}-leftover`;
    const own = `${prefix}kept`;
    for (const v of [dead, own]) await podman(['volume', 'create', v]);
    const removed = await removePodmanObjects({ deadRuns: true });
    expect(removed).toContain(`volume ${dead}`);
    expect(removed).not.toContain(`volume ${own}`);
    const left = (await podman(['volume', 'ls', '--format', '{{.Name}}'])).stdout.split('\n');
    expect(left).toContain(own);
    expect(left).not.toContain(dead);
  });

  it('the node’s LTC and KMD units: files step, sidecar, daemon; each sidecar ready, KMD’s bridge to LTC by its Service name', async () => {
    const ltc = await play(units.ltc);
    await ltc.waitProbe('sidecar', 'readiness', 120_000);
    const kmd = await play(units.kmd, async (pod) => {
      // The gate: the sidecar passed its startupProbe; it has written the LTC bridge's conf, and the
      // daemon (which reads it through -notary) has not started yet.
      expect((await pod.state('daemon')).running).toBe(false);
      for (const conf of bridgeConfs(units.kmd))
        await pod.exec('sidecar', ['sh', '-c', 'test -s "$1"', 'sh', conf]);
    });
    await kmd.waitProbe('sidecar', 'readiness', 120_000);
    const status = (await sidecarGet(kmd, '/v1/status', viewer(units.kmd))) as {
      chain: string;
      blocks: number;
    };
    expect(status.chain).toBe('KMD');
    // KMD's daemon reaches LTC through its sidecar's loopback bridge, to the LTC unit's Service name.
    const bridged = await kmd.exec('daemon', ['sh', '-c', 'cat /data/.litecoin/litecoin.conf']);
    expect(bridged).toMatch(/^rpcport=9332$/m);
  });

  it('an assetchain unit: the Secret’s files, then the sidecar and its KMD bridge, then the daemon on its localhost; /readyz 200, p2p published', async () => {
    const spec = units.chain;
    const pod = await play(spec, async (p) => {
      expect((await p.state('daemon')).running).toBe(false);
      expect(bridgeConfs(spec).length).toBe(1);
      for (const conf of bridgeConfs(spec)) await p.exec('sidecar', ['sh', '-c', 'test -s "$1"', 'sh', conf]);
    });
    const [files, sidecar, daemon] = await Promise.all(
      ['files', 'sidecar', 'daemon'].map((c) => pod.state(c)),
    );
    // The kubelet's order: the files step finished before the sidecar started, which passed its
    // startupProbe before the daemon started.
    expect(files?.exitCode).toBe(0);
    expect(files && sidecar && files.finishedAt <= sidecar.startedAt).toBe(true);
    const gate = pod.gates.get('sidecar');
    expect(gate && daemon && sidecar && sidecar.startedAt <= gate && gate <= daemon.startedAt).toBe(true);
    // Every file of the spec, in the data volume where the daemon reads it, 0600 and the images' uid.
    for (const f of spec.files ?? []) {
      // The daemon's image has node but no coreutils.
      const stat = await pod.exec('daemon', [
        'node',
        '-e',
        'const s = require("fs").statSync(process.argv[1]); console.log((s.mode & 0o777).toString(8), s.uid)',
        `/data/${f.path}`,
      ]);
      expect(`${f.path}: ${stat.trim()}`).toBe(`${f.path}: 600 10001`);
    }
    const ready = await pod.waitProbe('sidecar', 'readiness', 120_000);
    expect(ready.detail).toMatch(/^200 /);
    expect((await pod.waitProbe('sidecar', 'liveness', 30_000)).ok).toBe(true);
    const status = (await sidecarGet(pod, '/v1/status', viewer(spec))) as { chain: string; blocks: number };
    expect(status.chain).toBe(units.chainId.toUpperCase());
    expect(status.blocks).toBeGreaterThan(0);
    // The daemon's RPC is on the pod's loopback, shared with the sidecar's container (401: no
    // credentials), and not on the pod's address.
    const conf = spec.files?.find((f) => /^rpcport=\d+$/m.test(String(f.content)));
    const rpcPort = Number(/^rpcport=(\d+)$/m.exec(String(conf?.content))?.[1]);
    const fromSidecar = await pod.exec('sidecar', [
      'node',
      '-e',
      `fetch('http://127.0.0.1:${rpcPort}/', { method: 'POST', body: '{}' }).then((r) => console.log(r.status))`,
    ]);
    expect(fromSidecar.trim()).toBe('401');
    expect((await pod.probe('daemon', { tcpSocket: { port: rpcPort }, timeoutSeconds: 2 })).ok).toBe(false);
    // The p2p port is a hostPort of the daemon container: published on the host.
    const p2p = spec.ports?.[0];
    const published = await podman(['port', pod.container('daemon')]);
    expect(published.stdout).toContain(`${p2p?.container}/tcp -> 0.0.0.0:${p2p?.host}`);
  });

  it('the Iguana unit: deviguana and the Iguana sidecar, its start-up sequence done through the KMD and LTC bridges; /readyz 200', async () => {
    const pod = await play(units.iguana);
    const ready = await pod.waitProbe('sidecar', 'readiness', 180_000);
    expect(ready.detail).toMatch(/^200 /);
    const status = (await sidecarGet(pod, '/v1/status', viewer(units.iguana))) as {
      coins: { name: string; registered: boolean }[];
    };
    expect(
      status.coins
        .filter((c) => c.registered)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['KMD', 'LTC']);
  });

  it('a stop: the daemons get SIGTERM and exit 0 within terminationGracePeriodSeconds, the unit’s stop timeout', async () => {
    for (const spec of [units.chain, units.iguana]) {
      const pod = node.pods.get(`${spec.name}-0`);
      if (!pod) throw new Error(`${spec.name} was not played`);
      expect(pod.spec.graceSec).toBe(spec.stopTimeoutSec);
      const stopped = await pod.stop();
      expect(stopped.map((s) => [s.container, s.exitCode])).toEqual([
        ['daemon', 0],
        ['sidecar', 0],
      ]);
      expect(stopped[0]?.graceSec).toBe(spec.stopTimeoutSec);
      expect(await pod.logs('daemon')).toMatch(/"signal":"SIGTERM"/);
    }
  });

  it('lists every object kind podman did not play: each other kind of every unit was played', () => {
    const kinds = new Set([...objects.values()].flatMap((o) => objectsOf(o).map((x) => x.kind)));
    const playedKinds = ['StatefulSet', 'Secret', 'Service'];
    expect([...kinds].filter((k) => !playedKinds.includes(k)).sort()).toEqual([...NOT_PLAYED].sort());
    for (const pod of node.pods.values()) expect(pod.spec.adapted.length).toBeGreaterThan(0);
  });
});

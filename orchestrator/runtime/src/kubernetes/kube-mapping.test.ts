import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { sampleKmdUnit } from '../conformance/sample-unit.js';
import { podEvents } from './kube-event-map.js';
import { nodeHasImage, parseQuantity, toNodeInfo } from './kube-nodes.js';
import { toUnitHandle } from './kube-observe.js';
import type { PodLike, StatefulSetLike } from './kube-shapes.js';
import { unitObjects } from './manifests.js';

// Shapes as the API server sends them (a watch's plain JSON: timestamps are strings), around the
// StatefulSet the builder makes.
const { spec } = sampleKmdUnit({
  name: 'kmd-a',
  node: 'node-1',
  hostPort: 31001,
  p2pPort: 31002,
  images: { daemon: 'nn/devchain:latest', sidecar: 'nn/chain-sidecar:latest' },
  labels: { 'nn.chain': 'KMD' },
});
const built = unitObjects(spec, {
  namespace: 'nn',
  p2pExposure: 'hostPort',
  apiExposure: 'hostPort',
  orchestrator: { podLabels: { app: 'o' } },
});
const set = {
  ...(built.statefulSet.toJSON() as StatefulSetLike),
  metadata: { ...(built.statefulSet.toJSON() as StatefulSetLike).metadata, uid: 'set-uid-1' },
} as StatefulSetLike;
const hash = built.specHash;

type Status = NonNullable<NonNullable<PodLike['status']>['containerStatuses']>[number];
const running = (name: string, startedAt: string, extra: Partial<Status> = {}): Status => ({
  name,
  image: `docker.io/nn/${name === 'daemon' ? 'devchain' : 'chain-sidecar'}:latest`,
  ready: true,
  restartCount: 0,
  containerID: `containerd://${name}1`,
  state: { running: { startedAt } },
  ...extra,
});
const pod = (sidecar: Status, daemon: Status): PodLike => ({
  metadata: {
    name: 'kmd-a-0',
    uid: 'pod-uid-1',
    labels: set.spec?.template.metadata?.labels ?? {},
    annotations: { 'nn.spec-hash': hash },
    ownerReferences: [{ kind: 'StatefulSet', uid: 'set-uid-1' }],
  },
  spec: { nodeName: 'node-2', terminationGracePeriodSeconds: 120, containers: [{ name: 'daemon' }] },
  status: {
    phase: 'Running',
    hostIP: '10.0.0.12',
    initContainerStatuses: [sidecar],
    containerStatuses: [daemon],
  },
});
const up = pod(running('sidecar', '2026-12-04T10:00:00Z'), running('daemon', '2026-12-04T10:00:05Z'));

describe('a unit observed', () => {
  it('is running with both containers, its endpoint on the node it landed on', () => {
    const h = toUnitHandle(set, up, { namespace: 'nn', apiExposure: 'hostPort' });
    expect(h).toMatchObject({
      name: 'kmd-a',
      node: 'node-2',
      state: 'running',
      volume: 'kmd-a-data',
      endpoint: 'http://10.0.0.12:31001',
      localEndpoint: 'http://kmd-a-sidecar:8080',
      labels: { 'nn.chain': 'KMD' },
    });
    expect(h.sidecar).toMatchObject({
      running: true,
      health: 'healthy',
      stopTimeoutSec: 120,
      specHash: hash,
    });
    expect(h.daemon?.startedAt?.toISOString()).toBe('2026-12-04T10:00:05.000Z');
    expect(h.daemon?.id).toBe(`set-uid-1/daemon/${hash}`);
    const cluster = toUnitHandle(set, up, { namespace: 'nn', apiExposure: 'cluster' });
    expect(cluster.endpoint).toBe('http://kmd-a-sidecar.nn.svc:8080');
  });

  it('is partial with one container down, stopped without a pod (exit codes from the set)', () => {
    const crashed = pod(running('sidecar', '2026-12-04T10:00:00Z'), {
      ...running('daemon', ''),
      ready: false,
      restartCount: 3,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1, finishedAt: '2026-12-04T10:01:00Z' } },
    });
    const h = toUnitHandle(set, crashed, { namespace: 'nn', apiExposure: 'hostPort' });
    expect(h.state).toBe('partial');
    expect(h.daemon).toMatchObject({ running: false, status: 'restarting', exitCode: 1 });
    const stoppedSet = {
      ...set,
      metadata: { ...set.metadata, annotations: { 'nn.last-exit': '{"sidecar":0,"daemon":0}' } },
    };
    const stopped = toUnitHandle(stoppedSet, null, { namespace: 'nn', apiExposure: 'hostPort' });
    expect(stopped.state).toBe('stopped');
    expect(stopped.endpoint).toBeNull();
    expect(stopped.daemon).toMatchObject({ running: false, exitCode: 0, id: `set-uid-1/daemon/${hash}` });
  });
});

describe('pod watch events', () => {
  it('map container starts, exits, health and deletion of owned pods only', () => {
    const first = podEvents(null, up, false);
    expect(first.map((e) => e.kind === 'container' && [e.role, e.action])).toEqual([
      ['sidecar', 'start'],
      ['daemon', 'start'],
    ]);
    expect(first[1]).toMatchObject({
      node: 'node-2',
      unit: 'kmd-a',
      containerId: `set-uid-1/daemon/${hash}`,
    });
    // The daemon exits 0 and the sidecar turns unready, seen in one update; then the pod is deleted.
    const ending = pod(running('sidecar', '2026-12-04T10:00:00Z', { ready: false }), {
      ...running('daemon', ''),
      ready: false,
      state: { terminated: { exitCode: 0, finishedAt: '2026-12-04T11:00:00Z' } },
    });
    const next = podEvents(up, ending, false);
    expect(next.map((e) => e.kind === 'container' && [e.role, e.action, e.exitCode ?? e.health])).toEqual([
      ['sidecar', 'health', 'unhealthy'],
      ['daemon', 'die', 0],
    ]);
    expect(podEvents(ending, ending, true).map((e) => e.kind === 'container' && [e.role, e.action])).toEqual([
      ['sidecar', 'destroy'],
      ['daemon', 'destroy'],
    ]);
    // A restart between two observations: its exit (lastState), then its start.
    const restarted = pod(running('sidecar', '2026-12-04T10:00:00Z'), {
      ...running('daemon', '2026-12-04T10:02:00Z'),
      restartCount: 1,
      lastState: { terminated: { exitCode: 137, finishedAt: '2026-12-04T10:01:59Z' } },
    });
    expect(
      podEvents(up, restarted, false).map((e) => e.kind === 'container' && [e.action, e.exitCode]),
    ).toEqual([
      ['die', 137],
      ['start', null],
    ]);
    const foreign = {
      ...up,
      metadata: { ...up.metadata, labels: { 'nn.managed-by': 'notary-control-plane' } },
    };
    expect(podEvents(null, foreign, true)).toEqual([]);
  });
});

describe('nodes', () => {
  const node: V1Node = {
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    status: {
      addresses: [
        { type: 'Hostname', address: 'node-1' },
        { type: 'InternalIP', address: '10.0.0.11' },
      ],
      allocatable: { cpu: '3900m', memory: '16252928Ki' },
      conditions: [{ type: 'Ready', status: 'True' }],
      nodeInfo: { kubeletVersion: 'v1.31.2' } as NonNullable<V1Node['status']>['nodeInfo'],
      images: [{ names: ['docker.io/nn/devchain:latest', 'docker.io/nn/devchain@sha256:ab'], sizeBytes: 1 }],
    },
  };

  it('list capacity from allocatable, reachability from Ready', () => {
    expect(toNodeInfo(node)).toEqual({
      name: 'node-1',
      address: '10.0.0.11',
      labels: { 'kubernetes.io/hostname': 'node-1' },
      reachable: true,
      capacity: { memoryBytes: 16252928 * 1024, cpus: 3.9, diskBytes: null },
      version: 'v1.31.2',
      error: null,
    });
    const down = toNodeInfo({
      ...node,
      status: {
        ...node.status,
        conditions: [{ type: 'Ready', status: 'Unknown', message: 'kubelet stopped' }],
      },
    });
    expect(down).toMatchObject({
      reachable: false,
      capacity: null,
      error: 'Ready is Unknown: kubelet stopped',
    });
    expect(parseQuantity('2Gi')).toBe(2 ** 31);
    expect(parseQuantity('lots')).toBeNaN();
  });

  it("find images in the node's list by the names the kubelet reports", () => {
    expect(nodeHasImage(node, 'nn/devchain:latest')).toBe(true);
    expect(nodeHasImage(node, 'nn/devchain')).toBe(true);
    expect(nodeHasImage(node, 'nn/devchain:0.1.0')).toBe(false);
    expect(nodeHasImage(node, 'nn/absent-image:0')).toBe(false);
  });
});

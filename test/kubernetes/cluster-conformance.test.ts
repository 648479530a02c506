import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildChainSpec } from '@nn/orchestrator-core';
import { createJobsRuntime, type JobsRuntime } from '@nn/orchestrator-jobs';
import { createStateStore, deletePrefixed } from '@nn/orchestrator-state';
import { type ForeignResources, runtimeConformance } from '@nn/runtime/conformance';
import type { KubernetesObject } from '@nn/runtime/kubernetes';
import {
  connectKube,
  type KubeClient,
  KubernetesRuntime,
  type KubernetesRuntimeConfig,
  kubernetesRuntimeConfigSchema,
} from '@nn/runtime/kubernetes';
import { runPrefix } from '@nn/testkit';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The Runtime conformance suite and a chain.add through the jobs, against a real Kubernetes cluster
// (pnpm test:kubernetes; never part of pnpm test). No cluster can run on the project's machines: this
// file needs one given by NN_KUBECONFIG, and fails without it rather than skipping.
//
//   NN_KUBECONFIG        kubeconfig file of the cluster (required)
//   NN_KUBE_CONTEXT      its context (default: the current one)
//   NN_KUBE_NAMESPACE    an existing namespace the tests may fill and empty (default nn-conformance)
//   NN_KUBE_ALLOW_CIDRS  where this test process reaches the sidecar APIs from (hostPort exposure; the
//                        units' NetworkPolicies admit these blocks), comma-separated (default 0.0.0.0/0)
//   NN_TEST_REDIS_URL    Redis of the jobs (default redis://127.0.0.1:6379)
// The images nn/devchain:latest, nn/devchain:0.1.0 and nn/chain-sidecar:{latest,0.1.0} must be on the
// nodes (the runtime checks status.images: no registry).
const kubeconfig = process.env.NN_KUBECONFIG;
if (!kubeconfig)
  throw new Error(
    'pnpm test:kubernetes needs a Kubernetes cluster: set NN_KUBECONFIG to its kubeconfig file (and NN_KUBE_NAMESPACE to a namespace it may use, default nn-conformance). No cluster can run on these machines; see docs/kubernetes.md',
  );

const namespace = process.env.NN_KUBE_NAMESPACE ?? 'nn-conformance';
const config: KubernetesRuntimeConfig = {
  kubeconfig,
  ...(process.env.NN_KUBE_CONTEXT ? { context: process.env.NN_KUBE_CONTEXT } : {}),
  namespace,
  // Outside the cluster, the test reaches each sidecar API on its node, as an external orchestrator would.
  apiExposure: 'hostPort',
  p2pExposure: 'hostPort',
  placement: 'require',
  orchestrator: {
    podLabels: { 'app.kubernetes.io/name': 'nn-orchestrator' },
    cidrs: (process.env.NN_KUBE_ALLOW_CIDRS ?? '0.0.0.0/0').split(','),
  },
  readyTimeoutSec: 180,
};
const client: KubeClient = connectKube(kubernetesRuntimeConfigSchema.parse(config));

/**
 * Namesakes made behind the runtime's back, as objects the adapter would use: `<unit>-sidecar` is the
 * unit's headless Service, `<unit>-daemon` stands for the unit's StatefulSet `<unit>` (zero replicas),
 * a volume is a claim.
 */
const made = new Map<string, string>();
type Foreign = KubernetesObject & { metadata: { name: string; namespace: string }; spec: object };
const foreignObject = (kind: 'container' | 'volume', name: string): Foreign => {
  if (kind === 'volume')
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } },
    };
  if (name.endsWith('-sidecar'))
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { clusterIP: 'None', ports: [{ port: 8080 }] },
    };
  const set = name.replace(/-daemon$/, '');
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: set, namespace },
    spec: {
      replicas: 0,
      serviceName: set,
      selector: { matchLabels: { foreign: set } },
      template: {
        metadata: { labels: { foreign: set } },
        spec: { containers: [{ name: 'x', image: 'nn/chain-sidecar:latest' }] },
      },
    },
  };
};
const foreign: ForeignResources = {
  async container(_node, name) {
    const o = await client.objects.create(foreignObject('container', name));
    made.set(`container/${name}`, o.metadata?.uid ?? '');
  },
  async volume(_node, name) {
    const o = await client.objects.create(foreignObject('volume', name));
    made.set(`volume/${name}`, o.metadata?.uid ?? '');
  },
  async exists(_node, kind, name) {
    const o = await client.objects.read(foreignObject(kind, name)).catch(() => null);
    return o !== null && o.metadata?.uid === made.get(`${kind}/${name}`);
  },
  async remove(_node, kind, name) {
    await client.objects.delete(foreignObject(kind, name)).catch(() => undefined);
  },
};

runtimeConformance(() => new KubernetesRuntime(config), {
  label: `kubernetes, namespace ${namespace}`,
  foreign,
  volumeTransfer: 'not-supported',
});

describe('chain.add on the cluster, through the jobs', () => {
  const id = randomBytes(3).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), `nn-kube-${id}-`));
  const redisUrl = process.env.NN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const statePrefix = `${runPrefix()}:${id}:`;
  const queuePrefix = `${runPrefix()}-${id}`;
  let runtime: KubernetesRuntime;
  let redis: Redis;
  let connection: Redis;
  let jobs: JobsRuntime;
  let node: string;

  beforeAll(async () => {
    runtime = new KubernetesRuntime(config);
    node = (await runtime.nodes()).filter((n) => n.reachable).at(-1)?.name ?? 'none';
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const state = createStateStore(redis, { prefix: statePrefix });
    const from = 31_000 + (Number.parseInt(id, 16) % 100) * 16;
    await state.nodes.upsert({
      name: node as never,
      endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock' },
      capacity: {
        memoryBytes: 8 * 1024 ** 3,
        diskBytes: 1024 ** 4,
        p2pPorts: { from: 20_000, to: 29_999 },
        sidecarPorts: { from, to: from + 15 },
        reservedPorts: [],
      },
    });
    const priv = randomBytes(32).toString('hex');
    writeFileSync(join(dir, 'notary.wif'), priv, { mode: 0o600 });
    await runtime.ensureNetwork();
    jobs = await createJobsRuntime({
      config: {
        queuePrefix,
        instance: `k${id}`,
        unitPrefix: `k${id}-`,
        secretsDir: join(dir, 'secrets'),
        sidecarImage: 'nn/chain-sidecar:0.1.0',
        daemonExtraArgs: ['-devblocktime=1', '-devwarmup=3'],
        requirePeers: false,
        stopTimeoutSec: 30,
        attempts: 1,
        readyTimeoutMs: 180_000,
      },
      redis,
      statePrefix,
      connection,
      runtime,
      log: pino({ level: 'silent' }),
      worker: true,
      events: false,
      sweep: false,
      liveStatus: false,
    });
    const spec = buildChainSpec(
      { entry: { ac_name: `NNK${id.toUpperCase()}`, ac_supply: '1000000' } },
      { image: 'nn/devchain:0.1.0' },
    );
    await state.chains.create(spec);
    chainId = spec.id;
  });
  let chainId = '';

  afterAll(async () => {
    for (const u of await runtime.listUnits())
      if (u.name.startsWith(`k${id}-`)) await runtime.removeUnit(u.name, { volumes: true, timeoutSec: 10 });
    await jobs?.queue.queue.obliterate({ force: true }).catch(() => undefined);
    await jobs?.close().catch(() => undefined);
    await deletePrefixed(redis, [statePrefix]).catch(() => undefined);
    await connection?.quit();
    await redis?.quit();
    await runtime?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds an assetchain as a StatefulSet whose sidecar answers', async () => {
    const jobId = await jobs.queue.addChain(chainId as never, 'tester');
    const deadline = Date.now() + 300_000;
    let view = await jobs.queue.readJob(jobId);
    while (Date.now() < deadline && view?.state !== 'completed' && view?.state !== 'failed') {
      await new Promise((r) => setTimeout(r, 1000));
      view = await jobs.queue.readJob(jobId);
    }
    expect(view?.error ?? null).toBeNull();
    expect(view?.state).toBe('completed');
    const unit = (await runtime.listUnits()).find((u) => u.name === `k${id}-${chainId}`);
    expect(unit?.state).toBe('running');
    const set = await client.objects.read({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: unit?.name ?? '', namespace },
    });
    expect(set.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('notary-control-plane');
    expect((await fetch(`${unit?.endpoint}/healthz`)).status).toBe(200);
  });
});

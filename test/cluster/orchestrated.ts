import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWif, generatePrivateKey, KMD_PREFIXES, publicKeyOf, toHex } from '@nn/chain-crypto';
import { buildChainSpec, type ChainSpec } from '@nn/orchestrator-core';
import {
  createJobsRuntime,
  type JobsConfigInput,
  type JobsRuntime,
  type JobView,
} from '@nn/orchestrator-jobs';
import { createStateStore, deletePrefixed, type StateStore } from '@nn/orchestrator-state';
import { season8Entries } from '@nn/orchestrator-state/testing';
import { DockerRuntime, type DockerRuntimeConfig } from '@nn/runtime';
import { claim, eventually, runPrefix } from '@nn/testkit';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { type Cluster, startCluster } from './cluster.js';

// The orchestrator's jobs over the two-engine cluster, for the drain tests: the cluster, a DockerRuntime
// over its engines, the state (both engines as nodes, room for three default-sized chains each) and jobs
// runtimes started on demand, all under prefixes of their own and removed by cleanup().

const REDIS_URL = process.env.NN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const CLUSTER_IMAGES = ['nn/devchain:0.1.0', 'nn/chain-sidecar:0.1.0'];

/** Staked chains stay at height 0 on a devnet: the first `n` Season 8 chains that mine by themselves. */
export function minedSpecs(n: number): ChainSpec[] {
  return season8Entries()
    .filter((e) => e.ac_staked === undefined)
    .slice(0, n)
    .map((entry) => buildChainSpec({ entry }, { image: 'nn/devchain:0.1.0' }));
}

export interface OrchestratedCluster {
  readonly id: string;
  readonly cluster: Cluster;
  readonly runtime: DockerRuntime;
  /** The runtime's config (for worker processes of their own). */
  readonly runtimeConfig: DockerRuntimeConfig;
  readonly redis: Redis;
  readonly state: StateStore;
  readonly statePrefix: string;
  readonly network: string;
  readonly unitPrefix: string;
  config(extra?: Partial<JobsConfigInput>): JobsConfigInput;
  start(config?: JobsConfigInput, opts?: { sweep?: boolean; worker?: boolean }): Promise<JobsRuntime>;
  waitJob(jobs: JobsRuntime, jobId: string, boundMs: number): Promise<JobView>;
  cleanup(): Promise<void>;
}

export async function startOrchestratedCluster(opts: {
  slot: number;
  /** e2 reached over TCP+TLS at its namespace address (a link cut then makes it unreachable). */
  tcpE2?: boolean;
}): Promise<OrchestratedCluster> {
  const id = randomBytes(3).toString('hex');
  const unitPrefix = `d${id}-`;
  const network = `drn${id}-net`;
  const statePrefix = `${runPrefix()}:drain-${id}:`;
  const queuePrefix = `${runPrefix()}-drain-${id}`;
  const dir = mkdtempSync(join(tmpdir(), `nn-drain-${id}-`));
  claim({ kind: 'dir', path: dir });
  claim({ kind: 'docker', prefix: unitPrefix });
  claim({ kind: 'docker', prefix: network });
  const cluster = startCluster(2, { slot: opts.slot, tls: opts.tcpE2 === true, images: CLUSTER_IMAGES });
  const engines = cluster.engines.map((e) =>
    opts.tcpE2 && e.name === 'e2' && e.tcp && cluster.tls
      ? { name: e.name, url: e.tcp, tls: cluster.tls, address: e.address, labels: e.labels }
      : { name: e.name, url: `unix://${e.socket}`, address: e.address, labels: e.labels },
  );
  const runtimeConfig = { engines, network, helperImage: 'nn/chain-sidecar:0.1.0', requestTimeoutMs: 8_000 };
  const runtime = new DockerRuntime(runtimeConfig, pino({ level: 'silent' }));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const connections: Redis[] = [redis];
  const state = createStateStore(redis, { prefix: statePrefix });
  for (const e of cluster.engines)
    await state.nodes.upsert({
      name: e.name as never,
      endpoint: { kind: 'unix', socketPath: e.socket },
      capacity: {
        memoryBytes: 3 * 2 * 1024 ** 3,
        diskBytes: 3 * 20 * 1024 ** 3,
        p2pPorts: { from: 1024, to: 59_999 },
        sidecarPorts: { from: 61_300, to: 61_339 },
        reservedPorts: [],
      },
    });
  const priv = generatePrivateKey();
  const wifFile = join(dir, 'notary.wif');
  writeFileSync(wifFile, `${encodeWif(priv, KMD_PREFIXES.wif)}\n`, { mode: 0o600 });
  const started: JobsRuntime[] = [];
  const config = (extra: Partial<JobsConfigInput> = {}): JobsConfigInput => ({
    queuePrefix,
    instance: `d${id}`,
    unitPrefix,
    secretsDir: join(dir, 'secrets'),
    sidecarImage: 'nn/chain-sidecar:0.1.0',
    daemonExtraArgs: ['-devblocktime=1', '-devwarmup=3'],
    useSeedNodes: false,
    requirePeers: false,
    stopTimeoutSec: 15,
    notary: { pubkey: toHex(publicKeyOf(priv)), wifFile },
    attempts: 4,
    backoffMs: 1_000,
    readyTimeoutMs: 90_000,
    readyPollMs: 500,
    leaseTtlMs: 5_000,
    busyDelayMs: 300,
    lockDurationMs: 30_000,
    stalledIntervalMs: 5_000,
    sweepEveryMs: 3_000,
    httpTimeoutMs: 5_000,
    concurrency: 4,
    ...extra,
  });
  return {
    id,
    cluster,
    runtime,
    runtimeConfig,
    redis,
    state,
    statePrefix,
    network,
    unitPrefix,
    config,
    async start(jobsConfig = config(), o = {}) {
      const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
      connections.push(connection);
      const jobs = await createJobsRuntime({
        config: jobsConfig,
        redis,
        statePrefix,
        connection,
        runtime,
        log: pino({ level: 'silent' }),
        worker: o.worker ?? true,
        events: false,
        sweep: o.sweep ?? false,
        liveStatus: false,
      });
      started.push(jobs);
      return jobs;
    },
    waitJob: (jobs, jobId, boundMs) =>
      eventually(
        async () => {
          const view = await jobs.queue.readJob(jobId);
          if (view?.state !== 'completed' && view?.state !== 'failed')
            throw new Error(`${jobId}: ${JSON.stringify(view?.progress ?? view?.state)}`);
          return view;
        },
        boundMs,
        `job ${jobId} finished`,
        500,
      ),
    async cleanup() {
      for (const jobs of started) {
        await jobs.worker?.close().catch(() => undefined);
        await jobs.queue.queue.obliterate({ force: true }).catch(() => undefined);
        await jobs.close().catch(() => undefined);
      }
      const units = new Set(
        (await runtime.listOwned()).filter((r) => r.unit.startsWith(unitPrefix)).map((r) => r.unit),
      );
      for (const u of units)
        await runtime.removeUnit(u, { volumes: true, timeoutSec: 5 }).catch(() => undefined);
      await runtime.removeNetwork().catch(() => undefined);
      await runtime.close();
      await deletePrefixed(redis, [statePrefix, queuePrefix]);
      for (const c of connections) await c.quit().catch(() => undefined);
      cluster.down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Our units' containers per node, as the reachable engines list them. */
export async function containersByNode(oc: OrchestratedCluster): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const r of await oc.runtime.listOwned())
    if (r.kind === 'container' && r.unit.startsWith(oc.unitPrefix))
      out[r.node] = [...(out[r.node] ?? []), r.name];
  for (const list of Object.values(out)) list.sort();
  return out;
}

/** True when every chain is ready and placed on `node`; throws saying which is not (for eventually). */
export async function allReadyOn(
  state: StateStore,
  specs: readonly ChainSpec[],
  node: string,
): Promise<true> {
  for (const spec of specs) {
    const chain = await state.chains.get(spec.id);
    if (chain.status !== 'ready' || chain.placement?.node !== node)
      throw new Error(
        `${spec.id}: ${chain.status} on ${chain.placement?.node} (${chain.statusReason ?? ''})`,
      );
  }
  return true;
}

/** Adds the chains with e2 cordoned, so every one lands on e1; e2 schedulable again afterwards. */
export function addOnE1(
  oc: OrchestratedCluster,
  jobs: JobsRuntime,
  specs: readonly ChainSpec[],
): Promise<void> {
  return addOn(oc, jobs, specs, 'e1');
}

/** Adds the chains with the other engine cordoned, so every one lands on `node`; it is uncordoned after. */
export async function addOn(
  oc: OrchestratedCluster,
  jobs: JobsRuntime,
  specs: readonly ChainSpec[],
  node: 'e1' | 'e2',
): Promise<void> {
  const other = node === 'e1' ? 'e2' : 'e1';
  await oc.state.nodes.upsert({ ...(await oc.state.nodes.get(other)), schedulable: false });
  const added: string[] = [];
  for (const spec of specs) {
    await oc.state.chains.create(spec);
    added.push(await jobs.queue.addChain(spec.id));
  }
  for (const jobId of added) {
    const view = await oc.waitJob(jobs, jobId, 150_000);
    if (view.state !== 'completed') throw new Error(`chain.add ${jobId} failed: ${view.error?.message}`);
  }
  await oc.state.nodes.upsert({ ...(await oc.state.nodes.get(other)), schedulable: true });
}

import { spawnSync } from 'node:child_process';
import type { ChainSpec } from '@nn/orchestrator-core';
import type { JobsConfigInput, JobsRuntime } from '@nn/orchestrator-jobs';
import { eventually } from '@nn/testkit';
import { type FakeIguana, fakeIguana } from '../orchestrator/harness.js';
import { addOn, allReadyOn, type OrchestratedCluster, startOrchestratedCluster } from './orchestrated.js';

// Node loss on the two-engine cluster, shared by test/cluster/drain.test.ts and bench/recovery.ts
// (issue 15's two-engine chaos case): the orchestrator's jobs with the sweep, e2 reached over TCP+TLS at
// its namespace address (a unix socket would not notice a link cut), Iguana's sidecar stood in for on
// the host with its unit's volume on e1, and e2's link cut and restored inside its namespace.

/** The drain test's grace: short, so the file stays near two minutes (the default is 300 s). */
export const NODE_LOSS_GRACE_MS = 15_000;

export interface NodeLossCluster {
  readonly oc: OrchestratedCluster;
  readonly jobs: JobsRuntime;
  readonly iguana: FakeIguana;
  readonly graceMs: number;
  /** e2's address on the cluster's bridge (its engine's published endpoints). */
  e2Address(): string;
  /** The upstream each chain was last registered with at Iguana, and whether it was deregistered first. */
  registrations(specs: readonly ChainSpec[]): Array<[string, unknown, boolean]>;
  /** Sets eth0 of e2's namespace up or down. */
  linkOfE2(up: boolean): void;
  /** The link up again, the fake Iguana closed, everything of the cluster's removed. Idempotent enough. */
  close(): Promise<void>;
}

/** e2's namespace as up.sh names it: the state dir's last 6 [a-z0-9]. */
function setLinkOfE2(oc: OrchestratedCluster, up: boolean): void {
  const cid =
    oc.cluster.state
      .split('/')
      .at(-1)
      ?.replace(/[^a-z0-9]/g, '')
      .slice(-6) ?? '';
  const r = spawnSync('ip', ['-n', `nn-${cid}-2`, 'link', 'set', 'eth0', up ? 'up' : 'down'], {
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(`ip link set eth0 ${up ? 'up' : 'down'} in e2's namespace: ${r.stderr}`);
}

async function startJobs(
  oc: OrchestratedCluster,
  iguana: FakeIguana,
  graceMs: number,
  extra: Partial<JobsConfigInput>,
): Promise<JobsRuntime> {
  // Registrations are checked by the upstream each chain was registered with; the fake lists what was
  // registered since it started.
  Object.defineProperty(iguana, 'coins', {
    get: () => iguana.added.map((c) => ({ name: c.name, registered: true, notaryUtxos: null })),
  });
  const iguanaVolume = `${oc.unitPrefix}iguana-data`;
  await oc.runtime.ensureVolume('e1', iguanaVolume, `${oc.unitPrefix}iguana`);
  return oc.start(
    oc.config({
      nodeLostGraceMs: graceMs,
      iguana: { url: iguana.url, operatorTokenFile: iguana.tokenFile, node: 'e1', volume: iguanaVolume },
      ...extra,
    }),
    { sweep: true },
  );
}

/** The cluster, the fake Iguana and the jobs runtime with the sweep; on a failure here all is removed. */
export async function startNodeLoss(opts: {
  slot: number;
  graceMs?: number;
  config?: Partial<JobsConfigInput>;
}): Promise<NodeLossCluster> {
  const graceMs = opts.graceMs ?? NODE_LOSS_GRACE_MS;
  const oc = await startOrchestratedCluster({ slot: opts.slot, tcpE2: true });
  let iguana: FakeIguana | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // The link first: down.sh and the units' removal need e2 to answer.
    try {
      setLinkOfE2(oc, true);
    } catch {
      // the namespace is already gone
    }
    try {
      await iguana?.close();
    } finally {
      await oc.cleanup();
    }
  };
  try {
    iguana = await fakeIguana(oc.cluster.state);
    const jobs = await startJobs(oc, iguana, graceMs, opts.config ?? {});
    const fake = iguana;
    return {
      oc,
      jobs,
      iguana: fake,
      graceMs,
      e2Address: () => oc.cluster.engines.find((e) => e.name === 'e2')?.address ?? '',
      registrations: (specs) =>
        specs.map((s) => {
          const name = s.identity.iguanaName;
          const last = fake.added.filter((c) => c.name === name).at(-1);
          return [name, last?.upstream, fake.removed.includes(name)];
        }),
      linkOfE2: (up) => setLinkOfE2(oc, up),
      close,
    };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

/** Adds the chains on `node` (the other engine cordoned meanwhile) and waits until each is ready there. */
export async function placeOn(
  nl: NodeLossCluster,
  specs: readonly ChainSpec[],
  node: 'e1' | 'e2',
): Promise<void> {
  await addOn(nl.oc, nl.jobs, specs, node);
  await eventually(() => allReadyOn(nl.oc.state, specs, node), 60_000, `every chain ready on ${node}`, 500);
}

export interface NodeLossTimes {
  /** From the cut until the sweep had cordoned e2 (declared it lost); undefined if never seen so. */
  readonly lostMs: number | undefined;
  /** From the cut until every chain was ready with its placement on e1. */
  readonly healedMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Cuts e2's link and waits until every chain is ready on e1, within `boundMs` of the cut, noting when
 * the sweep cordoned e2 (e2 must be schedulable before the cut). Throws with the last picture seen.
 */
export async function cutE2UntilHealed(
  nl: NodeLossCluster,
  specs: readonly ChainSpec[],
  boundMs: number,
): Promise<NodeLossTimes> {
  nl.linkOfE2(false);
  const cut = Date.now();
  let lostAt: number | undefined;
  let last = '';
  while (Date.now() - cut < boundMs) {
    if (lostAt === undefined && !(await nl.oc.state.nodes.get('e2')).schedulable) lostAt = Date.now();
    try {
      await allReadyOn(nl.oc.state, specs, 'e1');
      const now = Date.now();
      return { lostMs: lostAt === undefined ? undefined : lostAt - cut, healedMs: now - cut };
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  throw new Error(`not every chain ready on e1 within ${boundMs / 1000} s of the link cut: ${last}`);
}

/**
 * Brings e2's link back and waits, within `boundMs`, until none of our containers is left on e2. Asked
 * of e2's engine over its unix socket, which the cut never reaches: the runtime's own listing leaves out
 * an engine that does not answer yet, and would read as "none left".
 */
export async function restoreE2UntilClean(nl: NodeLossCluster, boundMs: number): Promise<number> {
  nl.linkOfE2(true);
  const back = Date.now();
  let last = '';
  while (Date.now() - back < boundMs) {
    const names = (await nl.oc.cluster.docker('e2').listContainers({ all: true }))
      .map((c) => (c.Names[0] ?? '').replace(/^\//, ''))
      .filter((n) => n.startsWith(nl.oc.unitPrefix));
    if (names.length === 0) return Date.now() - back;
    last = names.join(', ');
    await sleep(500);
  }
  throw new Error(`stale on e2 ${boundMs / 1000} s after the link came back: ${last}`);
}

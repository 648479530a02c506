// Benchmark: time to heal per chaos case (test/chaos/cases.ts) on a devnet node brought up by `nnctl up`
// on an engine of its own (a dockerd in a network namespace, address slot 6), side by side with the
// engine's own restart-policy time after the same fault: two plain containers beside the node, one
// `--restart unless-stopped`, one `--restart always`, given the same kill (their process SIGKILLed with
// the target's, or the same engine crash or power loss). Both clocks start when the fault is over (the
// case's damage done, a restarted engine answering) and stop when every chain is ready with `notarized`
// risen again, or when the plain container runs again. A case that does not heal within its bound is
// reported as such, with the bound. One more row, link-down, is issue 15's two-engine case: e2's link
// cut in the cluster the drain test runs (test/cluster/node-loss.ts, shared with it), timed from the cut
// until every moved chain is ready on e1. NN_RECOVERY_CASES=id,id picks cases (default: all).
import { spawnSync } from 'node:child_process';
import { CASES, type ChaosCase, OUTAGE_MS } from '../test/chaos/cases.js';
import { type ChaosEngine, startChaosEngines } from '../test/chaos/engine.js';
import { HealError, healed, notarising } from '../test/chaos/heal.js';
import { type ChaosNode, chaosNode } from '../test/chaos/node.js';
import {
  cutE2UntilHealed,
  NODE_LOSS_GRACE_MS,
  placeOn,
  restoreE2UntilClean,
  startNodeLoss,
} from '../test/cluster/node-loss.js';
import { minedSpecs } from '../test/cluster/orchestrated.js';
import type { BenchSection } from './sidecar-rpc.js';

type Docker = ReturnType<ChaosEngine['docker']>;

const SLOT = 6;
const grace = () => NODE_LOSS_GRACE_MS / 1000;
/** The link-down case's two-engine cluster: a slot no test file takes (drain.test.ts has 3). */
const LINK_SLOT = 7;
const LINK_DOWN = 'link-down';
const PLAIN = { 'unless-stopped': 'bench-plain-us', always: 'bench-plain-al' } as const;
type Policy = keyof typeof PLAIN;

/** How the engine's own policy meets each case's fault: the same kind of kill on the plain containers. */
const PLAIN_FAULT: Record<string, 'process' | 'engine' | 'none'> = {
  'engine-kill': 'engine', // the same engine crash hits them
  reboot: 'engine',
  'orchestrator-kill': 'process',
  'kmd-kill-during-add': 'process',
  'redis-kill-during-import': 'process',
  'orchestrator-stopped': 'none', // stopped and killed through the API: the engine never restarts those
  'iguana-removed': 'none', // a removed container: nothing of the engine's brings it back
};

async function plainContainers(docker: Docker): Promise<void> {
  for (const [policy, name] of Object.entries(PLAIN)) {
    await docker
      .getContainer(name)
      .remove({ force: true, v: true })
      .catch(() => {});
    const c = await docker.createContainer({
      name,
      Image: 'nn/redis:0.1.0',
      Cmd: ['--port', policy === 'always' ? '16380' : '16379', '--save', ''],
      HostConfig: { NetworkMode: 'host', RestartPolicy: { Name: policy } },
    });
    await c.start();
  }
}

/** Ms until the container runs a process other than `oldPid` (0 when already so), or undefined. */
async function plainBack(
  docker: Docker,
  name: string,
  oldPid: number,
  boundMs: number,
): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < boundMs) {
    try {
      const s = (await docker.getContainer(name).inspect()).State;
      if (s.Running && s.Pid !== oldPid && s.Pid > 0) return Date.now() - started;
    } catch {
      // the engine is still loading
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

type PlainTime = number | undefined | 'n/a' | 'never';
interface Row {
  readonly id: string;
  readonly healMs: number | undefined;
  readonly boundMs: number;
  readonly plain: Record<Policy, PlainTime>;
  /** Replaces the heal cell's plain time (link-down: from the cut and from the grace's end). */
  readonly healText?: string;
}

async function runCase(engines: ChaosEngine, node: ChaosNode, c: ChaosCase, chains: string[]): Promise<Row> {
  const before = await notarising(node, chains, 180_000);
  const docker = engines.docker(1);
  const fault = PLAIN_FAULT[c.id] ?? 'none';
  const pids: Record<Policy, number> = { 'unless-stopped': 0, always: 0 };
  if (fault !== 'none') {
    await plainContainers(docker);
    for (const p of Object.keys(PLAIN) as Policy[])
      pids[p] = (await docker.getContainer(PLAIN[p]).inspect()).State.Pid;
  }
  const added = await c.run({ engines, node });
  if (fault === 'process')
    for (const p of Object.keys(PLAIN) as Policy[]) await engines.killContainerProcess(1, PLAIN[p]);
  const plainTimes = Promise.all(
    (Object.keys(PLAIN) as Policy[]).map(async (p) =>
      fault === 'none' ? ('n/a' as const) : await plainBack(docker, PLAIN[p], pids[p], c.boundMs),
    ),
  );
  let healMs: number | undefined;
  try {
    healMs = await healed(node, before, c.boundMs, added);
    chains.push(...added.notarising.filter((a) => !chains.includes(a)));
  } catch (err) {
    if (!(err instanceof HealError)) throw err;
    process.stdout.write(`  ${c.id}: ${err.message.slice(0, 400)}\n`);
  }
  const [us, al] = await plainTimes;
  return { id: c.id, healMs, boundMs: c.boundMs, plain: { 'unless-stopped': us, always: al } };
}

const secs = (ms: PlainTime, bound: number) =>
  ms === 'n/a' || ms === 'never'
    ? ms
    : ms === undefined
      ? `not within ${bound / 1000} s`
      : `${(ms / 1000).toFixed(1)} s`;
function ratio(heal: number | undefined, plain: PlainTime): string {
  if (heal === undefined || typeof plain !== 'number') return '-';
  return plain < 50 ? `(plain ${plain} ms)` : `${(heal / plain).toFixed(1)}×`;
}

async function chaosRows(cases: readonly ChaosCase[]): Promise<Row[]> {
  const engines = startChaosEngines(1, SLOT);
  const node = chaosNode(engines);
  const rows: Row[] = [];
  try {
    const up = await node.up();
    if (up.code !== 0) throw new Error(`nnctl up exited ${up.code}: ${up.stderr.slice(-2000)}`);
    const chains = ['kmd', 'ccl', 'iln', 'koin'];
    for (const c of cases) {
      process.stdout.write(`  case ${c.id} ...\n`);
      rows.push(await runCase(engines, node, c, chains));
    }
  } finally {
    await node.close();
    engines.down();
  }
  return rows;
}

/**
 * Three mined devchains placed on e2, e2's link cut: the time until every one is ready on e1. The link
 * stays down for the outage (or until healed, if later), then the stale copies' removal is timed.
 */
async function measureLinkDown(boundMs: number): Promise<{ row: Row; note: string }> {
  // A restart policy acts only on its own engine: a plain container on e2 never comes back on e1.
  const never = { 'unless-stopped': 'never', always: 'never' } as const;
  const specs = minedSpecs(3);
  const nl = await startNodeLoss({ slot: LINK_SLOT });
  try {
    await placeOn(nl, specs, 'e2');
    const t = await cutE2UntilHealed(nl, specs, boundMs);
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - t.healedMs)));
    const goneMs = await restoreE2UntilClean(nl, 90_000);
    const lost = t.lostMs === undefined ? 'unseen' : `${(t.lostMs / 1000).toFixed(1)} s`;
    const healText = `${(t.healedMs / 1000).toFixed(1)} s from the cut, ${((t.healedMs - NODE_LOSS_GRACE_MS) / 1000).toFixed(1)} s after the ${grace()} s grace (every chain ready on e1)`;
    return {
      row: { id: LINK_DOWN, healMs: t.healedMs, boundMs, plain: never, healText },
      note: `e2 declared lost (cordoned by the sweep) ${lost} after the cut; link down ${(Math.max(OUTAGE_MS, t.healedMs) / 1000).toFixed(0)} s; stale copies on e2 gone ${(goneMs / 1000).toFixed(1)} s after it came back`,
    };
  } finally {
    await nl.close();
  }
}

/** The link-down row; a failure is reported in the row, so the other cases' numbers are kept. */
async function linkDownRow(): Promise<{ row: Row; note: string }> {
  const boundMs = NODE_LOSS_GRACE_MS + 150_000;
  try {
    return await measureLinkDown(boundMs);
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 300) ?? '';
    process.stdout.write(`  ${LINK_DOWN}: ${why}\n`);
    return {
      row: {
        id: LINK_DOWN,
        healMs: undefined,
        boundMs,
        plain: { 'unless-stopped': 'never', always: 'never' },
      },
      note: `Failed in this run: ${why.replace(/\|/g, '/')}`,
    };
  }
}

function pickCases(): { cases: ChaosCase[]; linkDown: boolean } {
  const wanted = process.env.NN_RECOVERY_CASES?.split(',').filter(Boolean);
  const known = [...CASES.map((c) => c.id), LINK_DOWN];
  const unknown = wanted?.filter((w) => !known.includes(w)) ?? [];
  if (unknown.length > 0)
    throw new Error(`NN_RECOVERY_CASES: no case ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return {
    cases: CASES.filter((c) => !wanted || wanted.includes(c.id)),
    linkDown: !wanted || wanted.includes(LINK_DOWN),
  };
}

export default async function recoveryBench(): Promise<BenchSection> {
  const { cases, linkDown } = pickCases();
  const rows: Row[] = cases.length > 0 ? await chaosRows(cases) : [];
  let linkNote = '';
  if (linkDown) {
    process.stdout.write(`  case ${LINK_DOWN} ...\n`);
    const r = await linkDownRow();
    rows.push(r.row);
    linkNote = r.note;
  }
  const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const table = [
    '| case | node healed (every chain ready, `notarized` risen) | plain container, unless-stopped | plain container, always | node / always |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.id} | ${r.healText ?? secs(r.healMs, r.boundMs)} | ${secs(r.plain['unless-stopped'], r.boundMs)} | ${secs(r.plain.always, r.boundMs)} | ${ratio(r.healMs, r.plain.always)} |`,
    ),
  ];
  return {
    title: 'Recovery: time to heal after each chaos case (bench/recovery.ts)',
    markdown: [
      `One devnet node (\`nnctl up\`, LTC, KMD, Iguana, CCL/ILN/KOIN, orchestrator and Redis containers) on an engine of its own, commit ${rev}; the cases of test/chaos/cases.ts one after the other (outage NN_CHAOS_OUTAGE_S = ${process.env.NN_CHAOS_OUTAGE_S ?? '60'} s). Clocks start when the fault is over (damage done; a restarted engine answering). "Plain container": nn/redis with that restart policy beside the node, given the same kill; n/a where the fault is a stop or removal through the engine's API, which no restart policy undoes.`,
      '',
      ...table,
      ...(linkDown
        ? [
            '',
            `${LINK_DOWN}: issue 15's two-engine case, set up as test/cluster/drain.test.ts does (test/cluster/node-loss.ts, shared by both): two engines of test/cluster (startCluster, dockerds in network namespaces, address slot ${LINK_SLOT}), the orchestrator's jobs runtime in this process as the drain test runs it (sweep every 3 s, nodeLostGraceMs ${grace()} s, the drain test's grace; the default is 300 s, with which a one-minute outage moves nothing), e2 reached over TCP+TLS at its namespace address, Iguana's sidecar stood in for on the host. Three mined devchains placed on e2, then e2's eth0 set down inside its namespace. The clock starts at the cut (also given from the grace's end, cut + ${grace()} s) and stops when every moved chain is ready with its placement on e1; devchains do not notarise, so no \`notarized\` here. ${linkNote}. Plain containers: never — a restart policy acts only on its own engine; a container on e2 keeps running there, cut off, and nothing starts it on e1.`,
          ]
        : []),
    ].join('\n'),
  };
}

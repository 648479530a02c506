// Benchmark: time to heal per chaos case (test/chaos/cases.ts) on a devnet node brought up by `nnctl up`
// on an engine of its own (a dockerd in a network namespace, address slot 6), side by side with the
// engine's own restart-policy time after the same fault: two plain containers beside the node, one
// `--restart unless-stopped`, one `--restart always`, given the same kill (their process SIGKILLed with
// the target's, or the same engine crash or power loss). Both clocks start when the fault is over (the
// case's damage done, a restarted engine answering) and stop when every chain is ready with `notarized`
// risen again, or when the plain container runs again. A case that does not heal within its bound is
// reported as such, with the bound. NN_RECOVERY_CASES=id,id picks cases (default: all).
import { spawnSync } from 'node:child_process';
import { CASES, type ChaosCase } from '../test/chaos/cases.js';
import { type ChaosEngine, startChaosEngines } from '../test/chaos/engine.js';
import { HealError, healed, notarising } from '../test/chaos/heal.js';
import { type ChaosNode, chaosNode } from '../test/chaos/node.js';
import type { BenchSection } from './sidecar-rpc.js';

type Docker = ReturnType<ChaosEngine['docker']>;

const SLOT = 6;
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

interface Row {
  readonly id: string;
  readonly healMs: number | undefined;
  readonly boundMs: number;
  readonly plain: Record<Policy, number | undefined | 'n/a'>;
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

const secs = (ms: number | undefined | 'n/a', bound: number) =>
  ms === 'n/a' ? 'n/a' : ms === undefined ? `not within ${bound / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
function ratio(heal: number | undefined, plain: number | undefined | 'n/a'): string {
  if (heal === undefined || typeof plain !== 'number') return '-';
  return plain < 50 ? `(plain ${plain} ms)` : `${(heal / plain).toFixed(1)}×`;
}

export default async function recoveryBench(): Promise<BenchSection> {
  const wanted = process.env.NN_RECOVERY_CASES?.split(',').filter(Boolean);
  const cases = CASES.filter((c) => !wanted || wanted.includes(c.id));
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
  const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const table = [
    '| case | node healed (every chain ready, `notarized` risen) | plain container, unless-stopped | plain container, always | node / always |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.id} | ${secs(r.healMs, r.boundMs)} | ${secs(r.plain['unless-stopped'], r.boundMs)} | ${secs(r.plain.always, r.boundMs)} | ${ratio(r.healMs, r.plain.always)} |`,
    ),
  ];
  return {
    title: 'Recovery: time to heal after each chaos case (bench/recovery.ts)',
    markdown: [
      `One devnet node (\`nnctl up\`, LTC, KMD, Iguana, CCL/ILN/KOIN, orchestrator and Redis containers) on an engine of its own, commit ${rev}; the cases of test/chaos/cases.ts one after the other (outage NN_CHAOS_OUTAGE_S = ${process.env.NN_CHAOS_OUTAGE_S ?? '60'} s). Clocks start when the fault is over (damage done; a restarted engine answering). "Plain container": nn/redis with that restart policy beside the node, given the same kill; n/a where the fault is a stop or removal through the engine's API, which no restart policy undoes.`,
      '',
      ...table,
    ].join('\n'),
  };
}

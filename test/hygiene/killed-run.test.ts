import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Claim,
  cleanRun,
  eventually,
  findDocker,
  isSameProcess,
  newRunId,
  type PidRecord,
  ProcessTracker,
  REPO_ROOT,
  readClaims,
  readPids,
  removeClaimed,
  runDir,
  runPrefix,
  runProcess,
  TEST_REDIS_URL,
} from '@nn/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';

// A run killed midway, then a run of the same files, passes (issue 10). The killed run is a real
// `vitest run` of two files that leave the most behind: the crash-safety test (units on the shared
// engine, worker processes, BullMQ queues on the shared Redis) and the devnet test (a devnet with
// restart policies and its orchestrator, a detached process or a container). It is SIGKILLed once the
// devnet's orchestrator is there;
// the second run's global set-up must remove what it left, its files must pass, and afterwards nothing
// of either run is left. The second run leaves out the devnet's notarisation wait (minutes of blocks
// that prove nothing here).

vi.setConfig({ testTimeout: 1_500_000, hookTimeout: 60_000 });

const FILES = ['test/orchestrator/crash-safety.test.ts', 'test/docker/devnet.test.ts'];
const WITH_DEVNET = FILES.includes('test/docker/devnet.test.ts');
const VITEST = join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const procs = new ProcessTracker();
// The two runs keep their run dirs in a runs dir of their own: a run started elsewhere on the machine
// meanwhile would otherwise clean up the killed run before the second run gets to (what it removes
// is the same).
const ROOT = mkdtempSync(join(tmpdir(), 'nn-test-runs-killed-'));
const killed = newRunId();
const next = newRunId();

// Every claim either run made, as read while they ran (a run dir is gone once a run is cleaned).
const seen = new Map<string, Claim>();

afterAll(async () => {
  await procs.close(10_000);
  // Also when the test failed half-way: what either run left.
  for (const run of [killed, next]) await cleanRun(run, { root: ROOT });
  await removeClaimed([...seen.values()], [runPrefix(killed), runPrefix(next)]);
  rmSync(ROOT, { recursive: true, force: true });
});

/** A `vitest run` of FILES under its own run id, its output collected. */
function startVitest(run: string, extra: readonly string[] = []) {
  // Not this run's vitest variables: the child is a run of its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  const started = procs.start(process.execPath, [VITEST, 'run', '--project', 'e2e', ...extra, ...FILES], {
    cwd: REPO_ROOT,
    env: { ...env, NN_TEST_RUN: run, NN_TEST_RUNS_DIR: ROOT, NN_TEST_ONE_GROUP: '1', FORCE_COLOR: '0' },
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    started.proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child: started.proc, exited, output: started.output };
}

type Devnet = Extract<Claim, { kind: 'devnet' }>;
const devnetsOf = (claims: readonly Claim[]) => claims.filter((c): c is Devnet => c.kind === 'devnet');

/**
 * Whether the devnet's orchestrator is there: a process found by its pid file (its command line naming
 * the node's config), or a container <name>-orchestrator.
 */
async function hasOrchestrator(d: Devnet): Promise<boolean> {
  const home = join(d.root, d.name);
  try {
    const pid = Number(readFileSync(join(home, 'orchestrator.pid'), 'utf8').trim());
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(join(home, 'orchestrator.json'))) return true;
  } catch {
    // no pid file, or that process is gone
  }
  return (await findDocker({ prefix: `${d.name}-orchestrator` })).containers.length > 0;
}

/** Everything of a run that could still be there: Docker resources by its claims, keys, processes. */
async function remains(run: string, claims: readonly Claim[], pids: readonly PidRecord[]) {
  const docker: string[] = [];
  for (const c of claims) {
    const selectors =
      c.kind === 'docker'
        ? [{ prefix: c.prefix }]
        : c.kind === 'docker-project'
          ? [{ project: c.project }]
          : c.kind === 'devnet'
            ? [{ prefix: `${c.name}-` }, { prefix: `nn-${c.name}` }]
            : [];
    for (const s of selectors) {
      const found = await findDocker(s);
      docker.push(...found.containers, ...found.networks, ...found.volumes);
    }
  }
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${runPrefix(run)}*`);
    for (const d of devnetsOf(claims))
      keys.push(...(await redis.keys(`nn:${d.name}:*`)), ...(await redis.keys(`nn-${d.name}:*`)));
    return {
      docker,
      keys,
      processes: pids.filter((p) => isSameProcess(p.pid, p.cmdline)).map((p) => p.cmdline),
      orchestrators: (
        await Promise.all(devnetsOf(claims).map(async (d) => ((await hasOrchestrator(d)) ? [d] : [])))
      ).flat(),
      runDir: existsSync(runDir(run, ROOT)),
    };
  } finally {
    await redis.quit();
  }
}

const nothing = { docker: [], keys: [], processes: [], orchestrators: [], runDir: false };

/** What each left Docker id is (a network with its containers and labels, or a container): the failure's picture. */
async function describeDocker(ids: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const id of ids) {
    const net = await runProcess('docker', [
      ...['network', 'inspect', '--format'],
      '{{.Name}} created {{.Created}} labels {{json .Labels}} containers {{json .Containers}}',
      id,
    ]);
    const ctr =
      net.code === 0
        ? net
        : await runProcess('docker', [
            'inspect',
            '--format',
            '{{.Name}} {{.Config.Image}} {{.State.Status}}',
            id,
          ]);
    lines.push(`${id}: ${ctr.code === 0 ? ctr.stdout.trim() : `gone (${ctr.stderr.trim()})`}`);
  }
  return lines.join('\n');
}

describe('a test run killed midway', () => {
  it('leaves what the next run removes at its start; that run passes and leaves nothing either', async () => {
    const first = startVitest(killed);
    // Until the devnet's orchestrator is there and units of both files exist.
    const devnet = await eventually(
      async () => {
        if (first.child.exitCode !== null) return 'exited' as const;
        const claims = readClaims(killed, ROOT);
        const harness = claims.find((c) => c.kind === 'docker' && c.prefix.startsWith('t'));
        if (harness?.kind !== 'docker') return undefined;
        if ((await findDocker({ prefix: harness.prefix })).volumes.length === 0) return undefined;
        if (!WITH_DEVNET) return 'no devnet' as const;
        const d = devnetsOf(claims)[0];
        if (d === undefined || !(await hasOrchestrator(d))) return undefined;
        const units = await findDocker({ prefix: `${d.name}-` });
        return units.containers.length > 0 ? d : undefined;
      },
      600_000,
      "the killed run's devnet orchestrator and units",
      1_000,
    );
    if (devnet === 'exited') throw new Error(`the run to kill ended by itself:\n${first.output()}`);
    expect(first.child.pid).toBeDefined();
    process.kill(first.child.pid ?? 0, 'SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const claims = readClaims(killed, ROOT);
    for (const c of claims) seen.set(JSON.stringify(c), c);
    const pids = readPids(killed, ROOT);
    const left = await remains(killed, claims, pids);
    expect(left.orchestrators).toEqual(WITH_DEVNET ? [devnet] : []);
    expect(left.docker.length).toBeGreaterThan(0);
    expect(left.runDir).toBe(true);

    const second = startVitest(next, ['--testNamePattern', '^(?!.*notarises:)']);
    // Its claims, read while it runs (its own run dir is gone once it ends).
    const nextClaims = new Map<string, Claim>();
    const nextPids = new Map<number, PidRecord>();
    const watch = setInterval(() => {
      for (const c of readClaims(next, ROOT)) {
        nextClaims.set(JSON.stringify(c), c);
        seen.set(JSON.stringify(c), c);
      }
      for (const p of readPids(next, ROOT)) nextPids.set(p.pid, p);
    }, 1_000);
    const end = await second.exited.finally(() => clearInterval(watch));
    expect(end.code, second.output()).toBe(0);
    expect(second.output()).toContain('removed the leftovers of earlier test runs');
    expect(second.output()).toContain(`"${killed}"`);

    const leftKilled = await remains(killed, claims, pids);
    expect(
      leftKilled,
      `${await describeDocker(leftKilled.docker)}\n${second.output().slice(0, 3000)}`,
    ).toEqual(nothing);
    expect(devnetsOf([...nextClaims.values()])).toHaveLength(WITH_DEVNET ? 1 : 0);
    const leftNext = await remains(next, [...nextClaims.values()], [...nextPids.values()]);
    expect(leftNext, await describeDocker(leftNext.docker)).toEqual(nothing);
  });
});

import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './fixtures.js';
import { type DockerSelector, removeDocker } from './leftovers-docker.js';
import { removeRedisKeys, TEST_REDIS_URL } from './leftovers-redis.js';
import { isSameProcess, stopPid, stopTree } from './proc.js';
import { readPids } from './processes.js';
import { type Claim, RUNS_DIR, readOwner, runDir, runPrefix } from './run.js';
import { runProcess } from './run-process.js';

export interface CleanupReport {
  /** The runs whose leftovers were removed. */
  readonly runs: string[];
  /** Runs whose clean-up failed, with the reason (their run dirs stay for the next try). */
  readonly failed: string[];
  processes: number;
  containers: number;
  volumes: number;
  networks: number;
  /** Networks the engine still refused to remove (endpoints it had not released yet): the run dir stays. */
  networksLeft: number;
  redisKeys: number;
  clusters: number;
  devnets: number;
}

const emptyReport = (): CleanupReport => ({
  runs: [],
  failed: [],
  processes: 0,
  containers: 0,
  volumes: 0,
  networks: 0,
  networksLeft: 0,
  redisKeys: 0,
  clusters: 0,
  devnets: 0,
});

/** True while the run's owner (vitest's main process, or the script) still runs as recorded. */
export function isRunAlive(run: string, root: string = RUNS_DIR): boolean {
  const owner = readOwner(run, root);
  return owner !== undefined && isSameProcess(owner.pid, owner.cmdline);
}

/** A run dir made moments ago whose owner file is not written yet belongs to a run starting now. */
function isStarting(run: string, root: string): boolean {
  if (readOwner(run, root) !== undefined) return false;
  try {
    return Date.now() - statSync(runDir(run, root)).mtimeMs < 60_000;
  } catch {
    return false;
  }
}

/** The claims a run recorded (any run). */
export function readClaims(run: string, root: string = RUNS_DIR): Claim[] {
  const dir = join(runDir(run, root), 'claims');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Claim[] = [];
  for (const name of names) {
    try {
      out.push(JSON.parse(readFileSync(join(dir, name), 'utf8')) as Claim);
    } catch {
      // half-written when the run was killed: nothing was made under it yet
    }
  }
  return out;
}

/** Stops an `nnctl up` node's background processes by their pid files, as `nnctl down` would. */
async function stopDevnetProcesses(home: string): Promise<number> {
  let stopped = 0;
  const marked: ReadonlyArray<readonly [string, string]> = [
    ['orchestrator.pid', join(home, 'orchestrator.json')],
    ['redis.pid', join(home, 'redis')],
  ];
  for (const [file, marker] of marked) {
    let pid: number;
    try {
      pid = Number(readFileSync(join(home, file), 'utf8').trim());
    } catch {
      continue;
    }
    let cmdline: string | undefined;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      cmdline = undefined;
    }
    // The pid file names no command line: the process is ours when its command line names our file.
    if (Number.isInteger(pid) && cmdline?.includes(marker) && (await stopPid(pid, cmdline, 30_000)))
      stopped += 1;
  }
  return stopped;
}

/**
 * Removes everything a run left: its processes (pid files, command line checked), the devnets and test
 * clusters it claimed, its claimed Docker resources, its Redis keys (its run prefix and claimed
 * prefixes), then its run dir. For a run killed midway, and at the end of a run for its own strays.
 */
export async function cleanRun(
  run: string,
  options: { readonly ending?: boolean; readonly root?: string } = {},
  report: CleanupReport = emptyReport(),
): Promise<CleanupReport> {
  // Processes first, so nothing of that run is still making what is removed next. A run that is
  // ending (its own teardown) leaves its vitest workers to vitest.
  const root = options.root ?? RUNS_DIR;
  for (const p of readPids(run, root)) {
    if (options.ending && p.worker) continue;
    report.processes += await stopTree(p.pid, p.cmdline);
  }
  const leftBefore = report.networksLeft;
  await removeClaimed(readClaims(run, root), [runPrefix(run)], report);
  // A network the engine would not remove yet keeps the run's claims, for the next clean-up (this run's
  // end, see test/setup/run.ts) to try again.
  if (report.networksLeft === leftBefore) rmSync(runDir(run, root), { recursive: true, force: true });
  report.runs.push(run);
  return report;
}

/**
 * Removes what `claims` name (see Claim) and the Redis keys under `redisPrefixes`: cleanRun's work
 * without the run dir, for a test that kept a run's claims after that run's dir was gone.
 */
export async function removeClaimed(
  claims: readonly Claim[],
  redisPrefixesOnTestRedis: readonly string[] = [],
  report: CleanupReport = emptyReport(),
): Promise<CleanupReport> {
  const redisPrefixes = new Map<string, string[]>([[TEST_REDIS_URL, [...redisPrefixesOnTestRedis]]]);
  const addRedis = (prefix: string, url = TEST_REDIS_URL) =>
    redisPrefixes.set(url, [...(redisPrefixes.get(url) ?? []), prefix]);
  const docker: DockerSelector[] = [];
  for (const c of claims) {
    if (c.kind === 'docker') docker.push({ prefix: c.prefix });
    else if (c.kind === 'docker-project') docker.push({ project: c.project });
    else if (c.kind === 'redis') addRedis(c.prefix, c.url);
    else if (c.kind === 'cluster') {
      if (existsSync(c.state)) {
        const down = await runProcess('bash', [join(REPO_ROOT, 'test', 'cluster', 'down.sh'), c.state], {
          timeoutMs: 180_000,
        });
        if (down.code !== 0) throw new Error(`test/cluster/down.sh ${c.state}: ${down.stderr.trim()}`);
        report.clusters += 1;
      }
    } else if (c.kind === 'devnet') {
      // `nnctl up --name <name>`: units <name>-*, network nn-<name>, keys nn:<name>: and nn-<name>:.
      const home = join(c.root, c.name);
      report.processes += await stopDevnetProcesses(home);
      // Its orchestrator (a container <name>-orchestrator when it runs as one) first: it makes units.
      docker.unshift({ prefix: `${c.name}-orchestrator` });
      docker.push({ prefix: `${c.name}-` }, { prefix: `nn-${c.name}` });
      addRedis(`nn:${c.name}:`);
      addRedis(`nn-${c.name}:`);
      if (existsSync(home)) report.devnets += 1;
    }
  }
  for (const selector of docker) {
    const removed = await removeDocker(selector);
    report.containers += removed.containers.length;
    report.volumes += removed.volumes.length;
    report.networks += removed.networks.length;
    report.networksLeft += removed.left.length;
  }
  for (const [url, prefixes] of redisPrefixes) report.redisKeys += await removeRedisKeys(prefixes, url);
  for (const c of claims) {
    if (c.kind === 'devnet') rmSync(c.root, { recursive: true, force: true });
    if (c.kind === 'dir') rmSync(c.path, { recursive: true, force: true });
  }
  return report;
}

/** Cleans every earlier run whose owner no longer runs; runs still going (and `except`) are left alone. */
export async function cleanEarlierRuns(
  except: readonly string[] = [],
  root: string = RUNS_DIR,
): Promise<CleanupReport> {
  const report = emptyReport();
  let runs: string[];
  try {
    runs = readdirSync(root);
  } catch {
    return report;
  }
  for (const run of runs) {
    if (except.includes(run) || isRunAlive(run, root) || isStarting(run, root)) continue;
    try {
      await cleanRun(run, { root }, report);
    } catch (err) {
      // Its run dir stays, so the next run tries again; this run goes on (its own names are fresh).
      report.failed.push(`${run}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return report;
}

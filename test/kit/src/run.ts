import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from './proc.js';

// A test run (one `pnpm test`, one `vitest run`) has an id, made once by the global set-up and passed
// to every worker and child through NN_TEST_RUN, and a directory under the runs dir holding what the
// run may leave behind if it is killed: its owner's pid, pid files of the long-lived processes it
// started, and claims on names (Docker name prefixes, Redis prefixes, devnet homes, test clusters).
// The next run's clean-up removes exactly that, and only for runs whose owner no longer runs.

export const RUNS_DIR = process.env.NN_TEST_RUNS_DIR ?? '/tmp/nn-test-runs';
// Every reader takes the runs dir as an argument too: a test of the clean-up runs its runs in a dir of
// their own, so other runs on the machine do not clean them up under it.
const RUN_ID = /^[a-z0-9]{1,8}$/;

export function newRunId(): string {
  return randomBytes(3).toString('hex');
}

/** This run's id (NN_TEST_RUN, made here when absent so children inherit it). */
export function runId(): string {
  let id = process.env.NN_TEST_RUN;
  if (id === undefined || id === '') {
    id = newRunId();
    process.env.NN_TEST_RUN = id;
  }
  if (!RUN_ID.test(id)) throw new Error(`NN_TEST_RUN=${id}: must be 1-8 of a-z 0-9`);
  return id;
}

export function runDir(run: string = runId(), root: string = RUNS_DIR): string {
  return join(root, run);
}

/**
 * The prefix of every Redis key and BullMQ queue prefix a test of this run uses (`<runPrefix>:<id>:`
 * for state, `<runPrefix>-<id>` for queues), so the clean-up finds an earlier run's keys by it alone.
 */
export function runPrefix(run: string = runId()): string {
  return `nntest-${run}`;
}

export interface RunOwner {
  readonly pid: number;
  readonly cmdline: string;
}

/**
 * Records the current process as the run's owner unless one is recorded: the global set-up does it in
 * vitest's main process; a script using the kit on its own becomes the owner of its run.
 */
export function ensureOwner(run: string = runId()): RunOwner {
  const file = join(runDir(run), 'owner.json');
  const known = readOwner(run);
  if (known) return known;
  mkdirSync(runDir(run), { recursive: true });
  const owner = { pid: process.pid, cmdline: commandLine(process.pid) ?? '' };
  writeFileSync(file, `${JSON.stringify(owner)}\n`);
  return owner;
}

export function readOwner(run: string, root: string = RUNS_DIR): RunOwner | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir(run, root), 'owner.json'), 'utf8')) as RunOwner;
  } catch {
    return undefined;
  }
}

/** What a run may leave behind, by name; the clean-up removes each kind as described. */
export type Claim =
  /** Containers, volumes and networks labelled nn.managed-by=notary-control-plane named prefix*. */
  | { readonly kind: 'docker'; readonly prefix: string }
  /** Containers, volumes and networks labelled nn.managed-by=notary-control-plane and nn.project=project. */
  | { readonly kind: 'docker-project'; readonly project: string }
  /** Keys named prefix* on the Redis at url. */
  | { readonly kind: 'redis'; readonly prefix: string; readonly url?: string }
  /** A test cluster's state dir (test/cluster/up.sh): its down.sh removes engines and namespaces. */
  | { readonly kind: 'cluster'; readonly state: string }
  /** An `nnctl up` node: its orchestrator and Redis by pid file, units, network, keys, then the home. */
  | { readonly kind: 'devnet'; readonly root: string; readonly name: string }
  /** A temporary directory of the run's own (secrets, homes), removed whole. */
  | { readonly kind: 'dir'; readonly path: string };

/** Records a claim in this run's dir before the thing is made (so a kill right after still finds it). */
export function claim(what: Claim): void {
  const run = runId();
  ensureOwner(run);
  const dir = join(runDir(run), 'claims');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${randomBytes(6).toString('hex')}.json`), `${JSON.stringify(what)}\n`);
}

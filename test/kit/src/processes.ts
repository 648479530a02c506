import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from './proc.js';
import { ensureOwner, RUNS_DIR, runDir, runId } from './run.js';

// Every long-lived process a test starts gets a pid file in its run's pids/ dir (removed when it exits),
// so a run killed before its afterAll leaves a record the next run's clean-up can act on.

export interface PidRecord {
  readonly pid: number;
  readonly cmdline: string;
  /** A vitest worker of the run: vitest ends it itself when the run ends normally. */
  readonly worker?: boolean;
}

function pidsDir(run: string, root: string = RUNS_DIR): string {
  return join(runDir(run, root), 'pids');
}

/** Writes the pid file of `pid` (its command line as now) into this run's dir; returns its path. */
export function recordPid(pid: number, options: { worker?: boolean } = {}): string | undefined {
  const cmdline = commandLine(pid);
  if (cmdline === undefined) return undefined;
  const run = runId();
  ensureOwner(run);
  mkdirSync(pidsDir(run), { recursive: true });
  const file = join(pidsDir(run), `${pid}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ pid, cmdline, ...(options.worker ? { worker: true } : {}) } satisfies PidRecord)}\n`,
  );
  return file;
}

/** Records a spawned child's pid and drops the record when it exits. */
export function trackProcess<C extends ChildProcess>(child: C): C {
  if (child.pid === undefined) return child;
  const file = recordPid(child.pid);
  if (file) child.once('exit', () => rmSync(file, { force: true }));
  return child;
}

/** The pid files of a run (any run: the clean-up reads earlier ones). */
export function readPids(run: string, root: string = RUNS_DIR): PidRecord[] {
  let names: string[];
  try {
    names = readdirSync(pidsDir(run, root));
  } catch {
    return [];
  }
  const out: PidRecord[] = [];
  for (const name of names) {
    try {
      out.push(JSON.parse(readFileSync(join(pidsDir(run, root), name), 'utf8')) as PidRecord);
    } catch {
      // half-written by a run killed while writing it: the process had not started anything yet
    }
  }
  return out;
}

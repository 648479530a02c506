import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine, stopPid } from './proc.js';
import { ensureOwner, runDir, runId } from './run.js';

// Every long-lived process a test starts gets a pid file in its run's pids/ dir (removed when it exits),
// so a run killed before its afterAll leaves a record the next run's clean-up can act on.

export interface PidRecord {
  readonly pid: number;
  readonly cmdline: string;
  /** A vitest worker of the run: vitest ends it itself when the run ends normally. */
  readonly worker?: boolean;
}

function pidsDir(run: string): string {
  return join(runDir(run), 'pids');
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
export function readPids(run: string): PidRecord[] {
  let names: string[];
  try {
    names = readdirSync(pidsDir(run));
  } catch {
    return [];
  }
  const out: PidRecord[] = [];
  for (const name of names) {
    try {
      out.push(JSON.parse(readFileSync(join(pidsDir(run), name), 'utf8')) as PidRecord);
    } catch {
      // half-written by a run killed while writing it: the process had not started anything yet
    }
  }
  return out;
}

/**
 * The processes one test file starts: `spawn` tracks each, `killAll` (in afterEach/afterAll) stops
 * every one still running, whether the test passed or failed.
 */
export class ProcessTracker {
  private readonly children = new Set<ChildProcess>();
  private closed = false;

  spawn(cmd: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
    // A test that failed may still be running async work after its afterAll: it starts nothing new.
    if (this.closed) throw new Error(`not starting ${cmd}: the test's processes were stopped`);
    return this.track(spawn(cmd, args, options));
  }

  track<C extends ChildProcess>(child: C): C {
    if (this.closed) {
      child.kill('SIGKILL');
      throw new Error("not tracking a new process: the test's processes were stopped");
    }
    this.children.add(trackProcess(child));
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** killAll, and no process starts through this tracker afterwards (for afterAll). */
  close(graceMs = 5_000): Promise<void> {
    this.closed = true;
    return this.killAll(graceMs);
  }

  /** SIGTERM then SIGKILL after `graceMs` (at once when 0), and waits for each exit. */
  async killAll(graceMs = 5_000): Promise<void> {
    await Promise.all(
      [...this.children].map(async (child) => {
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        const cmdline = commandLine(child.pid);
        if (cmdline !== undefined) await stopPid(child.pid, cmdline, graceMs);
        await exited;
      }),
    );
  }
}

import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { commandLine, stopPid } from './proc.js';
import { trackProcess } from './processes.js';
import { type StartedProcess, startProcess } from './start-process.js';

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

  /** startProcess (output collected), stopped by killAll too. */
  start(cmd: string, args: readonly string[], options: Omit<SpawnOptions, 'stdio'> = {}): StartedProcess {
    if (this.closed) throw new Error(`not starting ${cmd}: the test's processes were stopped`);
    const started = startProcess(cmd, args, options);
    this.adopt(started.proc);
    return started;
  }

  track<C extends ChildProcess>(child: C): C {
    if (this.closed) {
      child.kill('SIGKILL');
      throw new Error("not tracking a new process: the test's processes were stopped");
    }
    return this.adopt(trackProcess(child));
  }

  private adopt<C extends ChildProcess>(child: C): C {
    this.children.add(child);
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

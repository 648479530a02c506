import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { trackProcess } from './processes.js';

/** A long-lived child a test started: tracked by pid file, its stdout and stderr collected together. */
export interface StartedProcess {
  readonly proc: ChildProcess;
  /** Everything it wrote so far (stdout and stderr interleaved). */
  readonly output: () => string;
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** Sends `signal` unless it has exited, and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function startProcess(
  cmd: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'stdio'> = {},
): StartedProcess {
  const proc = trackProcess(spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    output: () => out,
    exited,
    async kill(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

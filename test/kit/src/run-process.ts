import { spawn } from 'node:child_process';
import { trackProcess } from './processes.js';

export interface ProcessRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunProcessOptions {
  readonly cwd?: string;
  /** The child's whole environment (not merged with this process's). Default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** SIGKILL after this long (the run then ends with code null). Default: no limit. */
  readonly timeoutMs?: number;
  /** Record its pid in the test run's dir while it runs (for commands that start long-lived work). */
  readonly track?: boolean;
}

/** Runs a command to its end with no stdin and collects its exit code and output. */
export function runProcess(
  cmd: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (options.track) trackProcess(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.once('error', reject);
    // 'close', not 'exit': the output is complete only once the pipes have closed.
    child.once('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

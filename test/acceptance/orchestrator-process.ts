import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { type ProcessRun, runProcess, startProcess } from '@nn/testkit';

// The orchestrator and nnctl as an operator runs them: separate Node processes (one node process each,
// `node --import tsx`, so a SIGKILL stops exactly that process, as a power loss would).

const ROOT = join(import.meta.dirname, '..', '..');
const ORCHESTRATOR = join(ROOT, 'orchestrator/app/src/main.ts');
const NNCTL = join(ROOT, 'orchestrator/cli/src/main.ts');

export interface OrchestratorProcess {
  readonly role: string;
  readonly child: ChildProcess;
  /** Everything it logged (stdout and stderr). */
  readonly output: () => string;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful) and wait for the exit; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts `nn-orchestrator --config FILE --role ROLE` and waits until it logs that it runs. */
export async function startOrchestratorProcess(
  configFile: string,
  role: string,
): Promise<OrchestratorProcess> {
  const started = startProcess(
    process.execPath,
    ['--import', 'tsx', ORCHESTRATOR, '--config', configFile, '--role', role],
    { cwd: ROOT, env: { ...process.env, NN_LOG_LEVEL: 'info' } },
  );
  const { proc: child, output, exited } = started;
  const deadline = Date.now() + 60_000;
  while (!output().includes('orchestrator running')) {
    if (child.exitCode !== null)
      throw new Error(`orchestrator (${role}) exited ${child.exitCode}:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`orchestrator (${role}) did not start within 60 s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    role,
    child,
    output,
    async kill() {
      await started.kill('SIGKILL');
    },
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export type NnctlRun = ProcessRun;

/** Runs nnctl with `args` to its end. */
export function nnctl(args: readonly string[], env: Record<string, string> = {}): Promise<NnctlRun> {
  return runProcess(process.execPath, ['--import', 'tsx', NNCTL, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
}

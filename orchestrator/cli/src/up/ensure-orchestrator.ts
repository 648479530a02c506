import { spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT } from '../io.js';
import type { NodeHome } from './node-home.js';
import { runningPid, stopProcess } from './processes.js';

// The orchestrator (API and workers in one process) runs in the background from the node's config file,
// its output in <home>/orchestrator.log. The TypeScript sources run through tsx, like `pnpm nnctl`.

const MAIN = fileURLToPath(import.meta.resolve('@nn/orchestrator-app/main'));
const ROOT = join(dirname(MAIN), '..', '..', '..');

async function healthy(apiUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return res.status === 200 && ((await res.json()) as { redis?: string }).redis === 'up';
  } catch {
    return false;
  }
}

/**
 * Leaves a running, healthy orchestrator of this node as it is (unless `restart`); otherwise starts one
 * and waits until its API answers with Redis up.
 */
export async function ensureOrchestrator(
  home: NodeHome,
  apiUrl: string,
  restart: boolean,
): Promise<{ pid: number; how: 'running' | 'started' }> {
  const pid = runningPid(home.orchestratorPid, home.configFile);
  if (pid !== undefined && !restart && (await healthy(apiUrl))) return { pid, how: 'running' };
  await stopProcess(home.orchestratorPid, home.configFile, 30_000);
  const log = openSync(home.orchestratorLog, 'a', 0o600);
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--config', home.configFile], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, NN_LOG_LEVEL: process.env.NN_LOG_LEVEL ?? 'info' },
  });
  child.unref();
  if (child.pid === undefined) throw new CliError('could not start the orchestrator process', EXIT.failed);
  writeFileSync(home.orchestratorPid, `${child.pid}\n`, { mode: 0o600 });
  const deadline = Date.now() + 90_000;
  while (!(await healthy(apiUrl))) {
    if (child.exitCode !== null || runningPid(home.orchestratorPid, home.configFile) === undefined)
      throw new CliError(`the orchestrator exited at start; see ${home.orchestratorLog}`, EXIT.failed);
    if (Date.now() > deadline)
      throw new CliError(
        `the orchestrator API did not answer within 90 s; see ${home.orchestratorLog}`,
        EXIT.unavailable,
      );
    await new Promise((r) => setTimeout(r, 300));
  }
  return { pid: child.pid, how: 'started' };
}

export function stopOrchestrator(home: NodeHome): Promise<boolean> {
  return stopProcess(home.orchestratorPid, home.configFile, 60_000);
}

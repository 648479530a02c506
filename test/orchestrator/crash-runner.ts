import { join } from 'node:path';
import type { JobsConfigInput, JobView } from '@nn/orchestrator-jobs';
import type { ProcessTracker } from '@nn/testkit';
import { expect } from 'vitest';
import { type Env, REDIS_URL, waitForJob } from './harness.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface CrashOutcome {
  readonly signal: string | null;
  readonly code: number | null;
  readonly stderr: string;
  readonly stdout: string;
}

/**
 * Runs crash-worker.ts on the queue of `config` until it SIGKILLs itself at `crashAt`
 * (`<step>|<point prefix>`, optionally `|<subject>`: one unit or chain of a node job); rejects when it
 * has not crashed within two minutes.
 */
export function runCrashWorker(
  workers: ProcessTracker,
  env: Pick<Env, 'statePrefix' | 'network'>,
  config: Record<string, unknown>,
  crashAt: string,
  /** The worker's DockerRuntime config (several engines); default the local engine on env's network. */
  runtime?: Record<string, unknown>,
): Promise<CrashOutcome> {
  return new Promise((resolve, reject) => {
    // node itself with the tsx loader (not the tsx wrapper, which would put a second process between
    // the tracked pid and the worker).
    const child = workers.spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/orchestrator/crash-worker.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          NN_CRASH_AT: crashAt,
          NN_CRASH_WORKER: JSON.stringify({
            redisUrl: REDIS_URL,
            statePrefix: env.statePrefix,
            network: env.network,
            config,
            ...(runtime ? { runtime } : {}),
          }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let stdout = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`crash worker for ${crashAt} did not crash in time:\n${stderr}\n${stdout.slice(-3000)}`),
      );
    }, 120_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ signal, code, stderr, stdout });
    });
  });
}

/**
 * The crash tests' core: a crash worker takes `jobId` and SIGKILLs itself at `crashAt` (checked), then a
 * fresh worker takes the stalled job over and must complete it.
 */
export async function crashThenRecover(
  workers: ProcessTracker,
  env: Env,
  config: JobsConfigInput,
  crashAt: string,
  jobId: string,
  /** Run after the crash, before the fresh worker starts (what else may happen in between). */
  meanwhile?: () => Promise<void>,
): Promise<{ crashed: CrashOutcome; view: JobView; crashMs: number; recoverMs: number }> {
  const [step, point, subject] = crashAt.split('|');
  const t0 = Date.now();
  const crashed = await runCrashWorker(workers, env, config as Record<string, unknown>, crashAt);
  expect(crashed.stderr).toContain(`crashing at ${step} / ${point}`);
  if (subject !== undefined) expect(crashed.stderr).toContain(`(${subject})\n`);
  // Killed by SIGKILL: the signal itself, or 128 + 9 when a wrapper reports it as an exit code.
  expect(crashed.signal === 'SIGKILL' || crashed.code === 137, `exit ${crashed.code}/${crashed.signal}`).toBe(
    true,
  );
  const t1 = Date.now();
  await meanwhile?.();
  // A fresh worker takes the stalled job over.
  const recovery = await env.start(config);
  const view = await waitForJob(recovery, jobId, 240_000);
  expect(view.error, `crash at ${step}`).toBeNull();
  expect(view.state).toBe('completed');
  return { crashed, view, crashMs: t1 - t0, recoverMs: Date.now() - t1 };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEarlierRuns, cleanRun, isRunAlive } from './cleanup.js';
import { TEST_REDIS_URL } from './leftovers-redis.js';
import { commandLine } from './proc.js';
import { newRunId, runDir, runPrefix } from './run.js';

// Fake earlier runs made by hand in the real runs dir: an owner, pid files of real processes, claims.

const children: ChildProcess[] = [];
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await redis.quit();
});

function sleeper(): ChildProcess {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

const exited = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

async function deadPid(): Promise<number> {
  const child = spawn('true', [], { stdio: 'ignore' });
  await exited(child);
  return child.pid ?? 0;
}

function fakeRun(owner: { pid: number; cmdline: string }, pids: Array<{ pid: number; cmdline: string }>) {
  const run = `zz${newRunId()}`;
  mkdirSync(join(runDir(run), 'pids'), { recursive: true });
  writeFileSync(join(runDir(run), 'owner.json'), JSON.stringify(owner));
  for (const p of pids) writeFileSync(join(runDir(run), 'pids', `${p.pid}.json`), JSON.stringify(p));
  return run;
}

describe('the clean-up of earlier runs', () => {
  it("stops a dead run's recorded processes, deletes its keys and its dir", async () => {
    const leftover = sleeper();
    const pid = leftover.pid ?? 0;
    const run = fakeRun({ pid: await deadPid(), cmdline: 'node vitest run' }, [
      { pid, cmdline: commandLine(pid) ?? '' },
    ]);
    await redis.set(`${runPrefix(run)}:x:chain`, '1');
    await redis.set(`${runPrefix(run)}-x:bull:q:1`, '1');
    expect(isRunAlive(run)).toBe(false);
    const report = await cleanRun(run);
    await exited(leftover);
    expect(leftover.signalCode).toBe('SIGTERM');
    expect(report).toMatchObject({ runs: [run], processes: 1, redisKeys: 2 });
    expect(await redis.keys(`${runPrefix(run)}*`)).toEqual([]);
    expect(isRunAlive(run)).toBe(false);
  });

  it('leaves a pid alone whose command line is no longer the recorded one (a recycled pid)', async () => {
    const other = sleeper();
    const run = fakeRun({ pid: await deadPid(), cmdline: 'x' }, [
      { pid: other.pid ?? 0, cmdline: 'node some-test-worker.js' },
    ]);
    const report = await cleanRun(run);
    expect(report.processes).toBe(0);
    expect(commandLine(other.pid ?? 0)).toBe('sleep 300');
  });

  it('never touches a run whose owner still runs', async () => {
    const owner = sleeper();
    const worker = sleeper();
    const run = fakeRun({ pid: owner.pid ?? 0, cmdline: commandLine(owner.pid ?? 0) ?? '' }, [
      { pid: worker.pid ?? 0, cmdline: commandLine(worker.pid ?? 0) ?? '' },
    ]);
    await redis.set(`${runPrefix(run)}:kept`, '1');
    expect(isRunAlive(run)).toBe(true);
    const report = await cleanEarlierRuns();
    expect(report.runs).not.toContain(run);
    expect(commandLine(worker.pid ?? 0)).toBe('sleep 300');
    expect(await redis.get(`${runPrefix(run)}:kept`)).toBe('1');
    // Once its owner is gone it is an earlier run like any other.
    owner.kill('SIGKILL');
    await exited(owner);
    expect((await cleanEarlierRuns()).runs).toContain(run);
    await exited(worker);
    expect(await redis.get(`${runPrefix(run)}:kept`)).toBeNull();
  });
});

import { readFileSync, rmSync } from 'node:fs';

// Background processes `up` starts (Redis, the orchestrator) are found again by their pid file, and a pid
// is only ever signalled after /proc shows it is still that process (its command line names our file),
// so a recycled pid is never touched.

export function readPid(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True when `pid` runs and its command line contains `marker` (the config or data path it was given). */
export function isOurs(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(marker);
  } catch {
    return false;
  }
}

/** The pid in `pidFile` when that process still runs as ours. */
export function runningPid(pidFile: string, marker: string): number | undefined {
  const pid = readPid(pidFile);
  return pid !== undefined && isOurs(pid, marker) ? pid : undefined;
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL; removes the pid file. */
export async function stopProcess(pidFile: string, marker: string, graceMs: number): Promise<boolean> {
  const pid = runningPid(pidFile, marker);
  if (pid === undefined) {
    rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isOurs(pid, marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isOurs(pid, marker)) process.kill(pid, 'SIGKILL');
  while (isOurs(pid, marker)) await new Promise((r) => setTimeout(r, 50));
  rmSync(pidFile, { force: true });
  return true;
}

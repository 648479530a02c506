import { readFileSync } from 'node:fs';

// Pids are only ever signalled after /proc shows the same command line as when they were recorded, so
// a recycled pid is never touched.

/** The process's command line (arguments joined by spaces), or undefined when it does not run. */
export function commandLine(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // A zombie has an empty command line: it runs no more.
    return raw === '' ? undefined : raw.split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

export function isSameProcess(pid: number, cmdline: string): boolean {
  return pid > 1 && cmdline !== '' && commandLine(pid) === cmdline;
}

/** SIGTERM, up to `graceMs` for it to exit, then SIGKILL; only while it is still the recorded process. */
export async function stopPid(pid: number, cmdline: string, graceMs = 5_000): Promise<boolean> {
  if (!isSameProcess(pid, cmdline)) return false;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {
      // gone between the check and the signal
    }
  };
  signal(graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
  const deadline = Date.now() + graceMs;
  while (isSameProcess(pid, cmdline) && Date.now() < deadline) await sleep(100);
  if (isSameProcess(pid, cmdline)) signal('SIGKILL');
  const gone = Date.now() + 10_000;
  while (isSameProcess(pid, cmdline) && Date.now() < gone) await sleep(50);
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

import { readdirSync, readFileSync } from 'node:fs';

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

/** The parent pid of `pid`, from /proc/<pid>/stat (after the command name, which may hold spaces). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** Every running process below `pid` (children, their children, ...), with its command line now. */
export function descendants(pid: number): Array<{ pid: number; cmdline: string }> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const p = Number(name);
    if (!Number.isInteger(p)) continue;
    const parent = parentOf(p);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  const out: Array<{ pid: number; cmdline: string }> = [];
  const queue = [...(children.get(pid) ?? [])];
  for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
    const cmdline = commandLine(p);
    if (cmdline !== undefined) out.push({ pid: p, cmdline });
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/**
 * stopPid for a process and everything it started (a test's `bash up.sh` runs node, which starts more):
 * the tree is read while its root still runs, each member is signalled only while it is still the
 * process seen then. Returns how many were stopped.
 */
export async function stopTree(pid: number, cmdline: string, graceMs = 5_000): Promise<number> {
  if (!isSameProcess(pid, cmdline)) return 0;
  const tree = [{ pid, cmdline }, ...descendants(pid)];
  const stopped = await Promise.all(tree.map((p) => stopPid(p.pid, p.cmdline, graceMs)));
  return stopped.filter(Boolean).length;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

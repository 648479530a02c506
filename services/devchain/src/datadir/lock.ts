import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * komodod refuses a data dir another daemon holds (`.lock`). devchain keeps its pid there: a lock
 * whose pid is gone (SIGKILL, container restart) or is our own pid (PID 1 again in a new container)
 * is stale and taken over.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string, product: string): DataDirLock {
    const path = join(dataDir, '.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = Number(readFileSync(path, 'utf8').trim());
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
          throw new Error(
            `Cannot obtain a lock on data directory ${dataDir}. ${product} is probably already running.`,
          );
        }
        rmSync(path, { force: true });
      }
    }
    throw new Error(`Cannot obtain a lock on data directory ${dataDir}.`);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

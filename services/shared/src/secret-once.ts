import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/**
 * The secret stored at `path` (a 0600 file), made with `make` and stored first if absent. Written to a
 * temporary file and linked into place, so concurrent callers all end with the first stored value.
 */
export function secretOnce(path: string, make: () => string): string {
  const existing = readStoredSecret(path);
  if (existing !== undefined) return existing;
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, make());
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path); // fails with EEXIST when another writer got there first: theirs wins
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  const stored = readStoredSecret(path);
  if (stored === undefined) throw new Error(`secret ${path} vanished while it was written`);
  return stored;
}

/** A secret secretOnce stored, trimmed; undefined when there is none (no file, or an empty one). */
export function readStoredSecret(path: string): string | undefined {
  try {
    const value = readFileSync(path, 'utf8').trim();
    return value.length > 0 ? value : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

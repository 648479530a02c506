import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file whole or not at all: a temp file in the same directory, fsync, rename. Secrets
 * (conf files with RPC passwords) use mode 0600, the default.
 */
export function writeFileAtomic(path: string, text: string, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export class SecretFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretFileError';
  }
}

/**
 * Reads a secret (a token, a password, a passphrase) from a file, trimmed. Refuses a file others can
 * read, so a secret never sits world-readable by mistake; the message names the file, never the value.
 */
export function readSecretFile(path: string, opts: { allowGroupReadable?: boolean } = {}): string {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    throw new SecretFileError(`secret file ${path} is missing or unreadable`);
  }
  const forbidden = opts.allowGroupReadable ? 0o007 : 0o077;
  if ((mode & forbidden) !== 0) {
    throw new SecretFileError(
      `secret file ${path} must not be readable by others (mode ${(mode & 0o777).toString(8)}; use 600)`,
    );
  }
  const value = readFileSync(path, 'utf8').trim();
  if (value.length === 0) throw new SecretFileError(`secret file ${path} is empty`);
  return value;
}

import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSecretFile, writeFileAtomic } from './files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'shared-files-'));
  dirs.push(d);
  return d;
}

describe('writeFileAtomic', () => {
  it('writes the whole file with mode 600 and leaves no temp file', () => {
    const d = dir();
    writeFileAtomic(join(d, 'sub', 'a.conf'), 'rpcuser=x\n');
    expect(statSync(join(d, 'sub', 'a.conf')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(d, 'sub'))).toEqual(['a.conf']);
  });
});

describe('readSecretFile', () => {
  it('reads a 600 file trimmed, and refuses a world-readable or empty one without echoing it', () => {
    const d = dir();
    const p = join(d, 'token');
    writeFileSync(p, 'tok-secret\n', { mode: 0o600 });
    expect(readSecretFile(p)).toBe('tok-secret');
    chmodSync(p, 0o644);
    expect(() => readSecretFile(p)).toThrow(/must not be readable by others/);
    try {
      readSecretFile(p);
    } catch (err) {
      expect(String(err)).not.toContain('tok-secret');
    }
    writeFileSync(join(d, 'empty'), '\n', { mode: 0o600 });
    expect(() => readSecretFile(join(d, 'empty'))).toThrow(/is empty/);
    expect(() => readSecretFile(join(d, 'missing'))).toThrow(/missing/);
  });
});

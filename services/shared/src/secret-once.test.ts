import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStoredSecret, secretOnce } from './secret-once.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nn-secret-once-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('secretOnce', () => {
  it('makes the secret once, as a 0600 file, and reads it back after', () => {
    const path = join(dir, 'token');
    let made = 0;
    const make = () => `value-${++made}`;
    expect(secretOnce(path, make)).toBe('value-1');
    expect(secretOnce(path, make)).toBe('value-1');
    expect(made).toBe(1);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // No temporary file is left beside it.
    expect(readdirSync(dir)).toEqual(['token']);
  });

  it('keeps a value another writer stored first (trimmed); no file or an empty one holds no secret', () => {
    const path = join(dir, 'pw');
    writeFileSync(path, 'theirs\n', { mode: 0o600 });
    expect(secretOnce(path, () => 'mine')).toBe('theirs');
    expect(readStoredSecret(join(dir, 'none'))).toBeUndefined();
    const empty = join(dir, 'empty');
    writeFileSync(empty, '  \n', { mode: 0o600 });
    expect(readStoredSecret(empty)).toBeUndefined();
  });
});

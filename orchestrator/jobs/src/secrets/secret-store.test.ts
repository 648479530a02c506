import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scrubSecrets } from './scrub.js';
import { SecretStore } from './secret-store.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'nn-secrets-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SecretStore', () => {
  it('generates a chain’s secrets once, as 0600 files in 0700 dirs', () => {
    const root = tempDir();
    const store = new SecretStore(join(root, 'secrets'));
    const first = store.chain('ccl', 'CCL');
    expect(first.rpcuser).toMatch(/^user\d+$/);
    expect(first.rpcpassword).toMatch(/^pass[0-9a-f]{66}$/);
    expect(first.viewerToken).toMatch(/^[0-9a-f]{48}$/);
    expect(first.operatorToken).not.toBe(first.viewerToken);
    const dir = join(root, 'secrets', 'chains', 'ccl');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'secrets')).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['operator.token', 'rpcpassword', 'rpcuser', 'viewer.token']);
    // A second store over the same dir (another worker, a restart) reads the same values.
    expect(new SecretStore(join(root, 'secrets')).chain('ccl', 'CCL')).toEqual(first);
    expect(store.known('ccl').sort()).toEqual(
      [first.rpcpassword, first.viewerToken, first.operatorToken].sort(),
    );
  });

  it('keeps chains apart, removes one chain’s secrets, refuses a hostile chain id', () => {
    const store = new SecretStore(join(tempDir(), 's'));
    const a = store.chain('ccl', 'CCL');
    const b = store.chain('koin', 'KOIN');
    expect(a.rpcpassword).not.toBe(b.rpcpassword);
    store.remove('ccl');
    expect(store.has('ccl')).toBe(false);
    expect(store.has('koin')).toBe(true);
    expect(store.chain('ccl', 'CCL').rpcpassword).not.toBe(a.rpcpassword);
    expect(() => store.chain('../etc', 'X')).toThrow(/chainId/);
  });

  it('reads operator-supplied secret files only when nobody else can read them', () => {
    const root = tempDir();
    const store = new SecretStore(join(root, 's'));
    const wif = join(root, 'wif');
    writeFileSync(wif, 'UsecretWif\n', { mode: 0o644 });
    expect(() => store.readExternal(wif)).toThrow(/must not be readable by others/);
    writeFileSync(join(root, 'wif2'), 'UsecretWif\n', { mode: 0o600 });
    expect(store.readExternal(join(root, 'wif2'))).toBe('UsecretWif');
    expect(readFileSync(join(root, 'wif2'), 'utf8')).toContain('UsecretWif');
  });
});

describe('scrubSecrets', () => {
  it('replaces every occurrence of every known secret', () => {
    expect(
      scrubSecrets('auth pass123456 failed; again pass123456 / tok999999', ['pass123456', 'tok999999']),
    ).toBe('auth [redacted] failed; again [redacted] / [redacted]');
    expect(scrubSecrets('nothing here', [undefined, 'abcdefgh'])).toBe('nothing here');
  });
});

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKeys, presentedKey, roleAllows } from './api-keys.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nn-api-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const VIEWER = 'viewer-key-0123456789abcdef';
const OPERATOR = 'operator-key-0123456789abcdef';

describe('ApiKeys', () => {
  it('reads a 600 file and maps keys to roles and actor ids that do not reveal the key', () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ viewer: [VIEWER], operator: [OPERATOR] }), { mode: 0o600 });
    const keys = ApiKeys.fromFile(file);
    expect(keys.lookup(VIEWER)?.role).toBe('viewer');
    const op = keys.lookup(OPERATOR);
    expect(op?.role).toBe('operator');
    expect(op?.actor).toMatch(/^operator:[0-9a-f]{12}$/);
    expect(op?.actor).not.toContain(OPERATOR.slice(9, 20));
    expect(keys.lookup(`${OPERATOR}x`)).toBeUndefined();
    expect(keys.lookup('')).toBeUndefined();
    expect(keys.lookup(undefined)).toBeUndefined();
  });

  it('refuses a file others can read, one that is not JSON (without quoting it), and short keys', () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ operator: [OPERATOR] }), { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(() => ApiKeys.fromFile(file)).toThrow(/must not be readable by others/);
    writeFileSync(file, `{"operator": ["${OPERATOR}"`, { mode: 0o600 });
    chmodSync(file, 0o600);
    expect(() => ApiKeys.fromFile(file)).toThrow(/is not JSON/);
    try {
      ApiKeys.fromFile(file);
    } catch (err) {
      expect(String(err)).not.toContain(OPERATOR);
    }
    expect(() => ApiKeys.of({ operator: ['short'] })).toThrow(/at least 16/);
    expect(() => ApiKeys.of({ admin: [OPERATOR] } as never)).toThrow(/admin/);
  });

  it('a key listed under both roles is an operator', () => {
    expect(ApiKeys.of({ viewer: [OPERATOR], operator: [OPERATOR] }).lookup(OPERATOR)?.role).toBe('operator');
  });
});

describe('presentedKey and roles', () => {
  it('reads Bearer and Basic (password) and nothing else', () => {
    expect(presentedKey(`Bearer ${OPERATOR}`)).toBe(OPERATOR);
    expect(presentedKey(`bearer   ${OPERATOR}`)).toBe(OPERATOR);
    expect(presentedKey(`Basic ${Buffer.from(`u:${OPERATOR}`).toString('base64')}`)).toBe(OPERATOR);
    expect(presentedKey(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
    expect(presentedKey(`Token ${OPERATOR}`)).toBeUndefined();
    expect(presentedKey('Bearer')).toBeUndefined();
    expect(presentedKey(undefined)).toBeUndefined();
  });

  it('operator includes viewer, not the other way', () => {
    expect(roleAllows('operator', 'viewer')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('viewer', 'viewer')).toBe(true);
    expect(roleAllows('viewer', 'operator')).toBe(false);
  });
});

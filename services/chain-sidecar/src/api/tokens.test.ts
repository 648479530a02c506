import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenStore } from './tokens.js';

const VIEWER = 'viewer-token-0123456789abcdef';
const OPERATOR = 'operator-token-0123456789abcdef';

describe('TokenStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sidecar-tokens-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (text: string, mode = 0o600) => {
    const path = join(dir, 'tokens.json');
    writeFileSync(path, text, { mode });
    chmodSync(path, mode);
    return path;
  };

  it('maps bearer tokens to roles and refuses anything else', () => {
    const store = TokenStore.fromFile(write(JSON.stringify({ viewer: [VIEWER], operator: [OPERATOR] })));
    expect(store.roleOf(`Bearer ${VIEWER}`)).toBe('viewer');
    expect(store.roleOf(`Bearer ${OPERATOR}`)).toBe('operator');
    expect(store.roleOf(`Bearer ${VIEWER}x`)).toBeUndefined();
    expect(store.roleOf(`Bearer ${VIEWER.slice(0, -1)}`)).toBeUndefined();
    expect(store.roleOf('Bearer ')).toBeUndefined();
    expect(store.roleOf(VIEWER)).toBeUndefined();
    expect(store.roleOf(`Basic ${Buffer.from(`u:${VIEWER}`).toString('base64')}`)).toBeUndefined();
    expect(store.roleOf(undefined)).toBeUndefined();
  });

  it('treats a missing role list as empty', () => {
    const store = TokenStore.fromFile(write(JSON.stringify({ operator: [OPERATOR] })));
    expect(store.roleOf(`Bearer ${OPERATOR}`)).toBe('operator');
    expect(store.roleOf(`Bearer ${VIEWER}`)).toBeUndefined();
  });

  it('rejects short tokens, from a file and in code', () => {
    expect(() => TokenStore.fromFile(write(JSON.stringify({ viewer: ['short'] })))).toThrow(
      /viewer\.0: tokens must be at least 16 characters/,
    );
    expect(() => TokenStore.of({ operator: ['0123456789'] })).toThrow(/at least 16 characters/);
  });

  it('rejects unknown roles', () => {
    expect(() => TokenStore.fromFile(write(JSON.stringify({ admin: [OPERATOR] })))).toThrow(/admin/);
  });

  it('refuses a tokens file others can read, naming the file but not its content', () => {
    const path = write(JSON.stringify({ viewer: [VIEWER] }), 0o644);
    expect(() => TokenStore.fromFile(path)).toThrow(/must not be readable by others/);
    try {
      TokenStore.fromFile(path);
    } catch (err) {
      expect((err as Error).message).not.toContain(VIEWER);
    }
    chmodSync(path, 0o640);
    expect(() => TokenStore.fromFile(path)).toThrow(/must not be readable by others/);
  });

  it('refuses a missing file', () => {
    expect(() => TokenStore.fromFile(join(dir, 'none.json'))).toThrow(/missing or unreadable/);
  });

  // Node's JSON.parse error quotes the text around the error: a token must not end up in the message.
  it('explains a tokens file that is not JSON without quoting it', () => {
    const path = write(`{"viewer": [${VIEWER}]}`);
    let message = '';
    try {
      TokenStore.fromFile(path);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(path);
    expect(message).toContain('not JSON');
    expect(message).not.toContain(VIEWER);
    expect(message).not.toContain(VIEWER.slice(0, 10));
  });
});

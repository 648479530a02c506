import { appendFileSync, mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordLog } from './record-log.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'recordlog-'));
  dirs.push(dir);
  return join(dir, 'log.dat');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('RecordLog', () => {
  it('returns the records appended before, in order', () => {
    const path = tempFile();
    const { log } = RecordLog.open(path);
    log.append(enc('one'));
    log.append(enc(''));
    log.append(enc('three'));
    log.close();
    const reopened = RecordLog.open(path);
    expect(reopened.records.map(dec)).toEqual(['one', '', 'three']);
    expect(reopened.truncatedBytes).toBe(0);
    reopened.log.close();
  });

  it('cuts off a torn tail record and keeps appending after the last good one', () => {
    const path = tempFile();
    const { log } = RecordLog.open(path);
    log.append(enc('kept'));
    log.append(enc('torn-away'));
    log.close();
    truncateSync(path, statSync(path).size - 3);
    const reopened = RecordLog.open(path);
    expect(reopened.records.map(dec)).toEqual(['kept']);
    expect(reopened.truncatedBytes).toBe(8 + 'torn-away'.length - 3);
    reopened.log.append(enc('after'));
    reopened.log.close();
    expect(RecordLog.open(path).records.map(dec)).toEqual(['kept', 'after']);
  });

  it('stops at a record whose checksum does not match', () => {
    const path = tempFile();
    const { log } = RecordLog.open(path);
    log.append(enc('good'));
    log.close();
    // A frame with the right length but a wrong checksum, as a half-flushed page could leave.
    const bad = Buffer.alloc(8 + 3);
    bad.writeUInt32LE(3, 0);
    bad.writeUInt32LE(12345, 4);
    appendFileSync(path, bad);
    const reopened = RecordLog.open(path);
    expect(reopened.records.map(dec)).toEqual(['good']);
    expect(reopened.truncatedBytes).toBe(11);
    reopened.log.close();
  });
});

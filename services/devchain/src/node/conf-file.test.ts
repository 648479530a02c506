import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confInt, flagOn, readConf } from './conf-file.js';
import { DevchainConfigError } from './config-error.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'devchain-conf-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the conf file', () => {
  it('is absent when there is no file, and keeps every value of a repeated key', () => {
    expect(readConf(join(dir, 'none.conf'))).toBeUndefined();
    const path = join(dir, 'komodo.conf');
    writeFileSync(path, 'rpcport=8000\naddnode=a\naddnode=b\n');
    const conf = readConf(path);
    expect(conf?.get('addnode')).toEqual(['a', 'b']);
    expect(confInt(conf, 'rpcport')).toBe(8000);
    expect(confInt(conf, 'port')).toBeUndefined();
    expect(confInt(undefined, 'port')).toBeUndefined();
  });

  it('stops on a line komodod cannot read, naming the file', () => {
    const path = join(dir, 'komodo.conf');
    writeFileSync(path, 'rpcport=8000\njust words\n');
    expect(() => readConf(path)).toThrow(DevchainConfigError);
    expect(() => readConf(path)).toThrow(new RegExp(`^Error reading configuration file ${path}: `));
  });

  it('stops on a number that is not one, naming the key and the value', () => {
    const conf = new Map([['rpcport', ['80a']]]);
    expect(() => confInt(conf, 'rpcport')).toThrow(
      new DevchainConfigError('configuration file: rpcport=80a is not a number'),
    );
  });

  it('takes a boolean from the flag, then the conf (anything but 0 is on), then the default', () => {
    expect(flagOn(false, '1', true)).toBe(false);
    expect(flagOn(true, '0', false)).toBe(true);
    expect(flagOn(undefined, '0', true)).toBe(false);
    expect(flagOn(undefined, 'yes', false)).toBe(true);
    expect(flagOn(undefined, undefined, true)).toBe(true);
    expect(flagOn(undefined, undefined, false)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidSpecError } from './errors.js';
import { validateUnitName, validateUnitSpec } from './spec-schema.js';
import type { UnitSpec } from './types/unit-spec.js';

const good: UnitSpec = {
  name: 'kmd-1',
  node: 'e1',
  sidecar: { image: 'nn/chain-sidecar:latest', hostPort: 20001 },
  daemon: { image: 'nn/devchain:latest', cmd: ['-devblocktime=1'] },
  ports: [{ container: 7770, host: 20002 }],
  files: [{ path: '.komodo/komodo.conf', content: 'rpcuser=a\n' }],
};

function issues(spec: unknown): string[] {
  try {
    validateUnitSpec(spec);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidSpecError);
    return [...(err as InvalidSpecError).issues];
  }
  return [];
}

describe('validateUnitSpec', () => {
  it('accepts a well-formed spec unchanged', () => {
    expect(validateUnitSpec(good)).toBe(good);
    const mounted = {
      ...good,
      mounts: [{ volume: 'n-zcash-params', path: '/data/.zcash-params', readOnly: true }],
    };
    expect(validateUnitSpec(mounted)).toBe(mounted);
  });

  it.each([
    [{ ...good, mounts: [{ volume: 'p', path: 'rel' }] }, /^mounts\.0\.path: must be an absolute path/],
    [{ ...good, mounts: [{ volume: 'p', path: '/data' }] }, /^mounts\.0\.path: hides the data volume/],
    [{ ...good, mounts: [{ volume: 'p', path: '/' }] }, /^mounts\.0\.path: /],
    [
      {
        ...good,
        mounts: [
          { volume: 'p', path: '/a' },
          { volume: 'q', path: '/a/b' },
        ],
      },
      /^mounts\.1\.path: overlaps another mount/,
    ],
    [
      { ...good, mounts: [{ volume: 'kmd-1-data', path: '/p' }] },
      /^mounts\.0\.volume: is the unit's data volume/,
    ],
    [{ ...good, mounts: [{ volume: 'a b', path: '/p' }] }, /^mounts\.0\.volume: must be a volume name/],
    [{ ...good, mounts: [{ volume: 'p', path: '/p', rw: true }] }, /^mounts\.0: /],
    [
      { ...good, daemon: { ...good.daemon, workdir: 'dPoW/iguana' } },
      /^daemon\.workdir: must be an absolute path/,
    ],
    [{ ...good, daemon: { ...good.daemon, workdir: '/data/../etc' } }, /^daemon\.workdir: /],
    [{ ...good, name: 'Bad_Name' }, /^name: must be 2-48/],
    [{ ...good, name: 'a;rm -rf /' }, /^name: /],
    [{ ...good, name: '-lead' }, /^name: /],
    [{ ...good, privileged: true }, /privileged/],
    [{ ...good, sidecar: { ...good.sidecar, hostPort: '20001' } }, /^sidecar\.hostPort: /],
    [{ ...good, sidecar: { ...good.sidecar, hostPort: 0 } }, /^sidecar\.hostPort: /],
    [
      { ...good, daemon: { image: 'nn/devchain:latest', env: ['NOEQUALS'] } },
      /^daemon\.env\.0: must be KEY=value/,
    ],
    [{ ...good, labels: { 'nn.unit': 'x' } }, /^labels\.nn\.unit: is reserved/],
    [{ ...good, labels: { Upper: 'x' } }, /^labels\.Upper: /],
    [{ ...good, files: [{ path: 'a/../../b', content: '' }] }, /^files\.0\.path: must not contain \.\./],
    [{ ...good, ports: [{ container: 7770, host: 20001 }] }, /^ports\.0\.host: duplicates sidecar\.hostPort/],
    [{ ...good, ports: [{ container: 8080, host: 20003 }] }, /^ports\.0\.container: is the sidecar API port/],
    [{ ...good, volume: { mountPath: '/' } }, /^volume\.mountPath: /],
    [{ ...good, stopTimeoutSec: 0 }, /^stopTimeoutSec: /],
    [{ ...good, logs: { maxSizeMb: 0 } }, /^logs\.maxSizeMb: /],
    [{ ...good, logs: { maxFiles: 1.5 } }, /^logs\.maxFiles: /],
    [{ ...good, logs: { maxSizeMb: '20m' } }, /^logs\.maxSizeMb: /],
    [{ ...good, logs: { driver: 'syslog' } }, /driver/],
  ])('rejects %j naming the field', (spec, re) => {
    expect(issues(spec).some((i) => re.test(i))).toBe(true);
  });

  it('allows the same port number on tcp and udp', () => {
    expect(issues({ ...good, ports: [{ container: 7770, host: 20001, protocol: 'udp' }] })).toEqual([]);
  });

  it('validates bare unit names', () => {
    expect(validateUnitName('ok-name')).toBe('ok-name');
    expect(() => validateUnitName('../x')).toThrow(InvalidSpecError);
    expect(() => validateUnitName(42)).toThrow(InvalidSpecError);
  });
});

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { portConflictOf } from './docker-errors.js';
import { parseDockerEvent } from './events.js';
import { followJsonLines } from './json-lines.js';

const owned = { 'nn.managed-by': 'notary-control-plane', 'nn.unit': 'kmd', 'nn.role': 'daemon' };

describe('Docker event parsing', () => {
  it('reassembles JSON lines split across chunks', async () => {
    const s = new PassThrough();
    const got: unknown[] = [];
    const done = followJsonLines(s, (o) => got.push(o));
    s.write('{"a":1}\n{"b"');
    s.write(':2}\n\nnot json\n{"c":3}');
    s.end();
    await done;
    expect(got).toEqual([{ a: 1 }, { b: 2 }, { raw: 'not json' }, { c: 3 }]);
  });

  it('maps die, health and destroy of owned unit containers', () => {
    const die = parseDockerEvent('e1', {
      Type: 'container',
      Action: 'die',
      Actor: { ID: 'abc', Attributes: { ...owned, exitCode: '137' } },
      time: 1700000000,
      timeNano: 1700000000123000000,
    });
    expect(die).toMatchObject({
      kind: 'container',
      node: 'e1',
      unit: 'kmd',
      role: 'daemon',
      action: 'die',
      exitCode: 137,
    });
    const health = parseDockerEvent('e1', {
      Type: 'container',
      Action: 'health_status: unhealthy',
      Actor: { ID: 'abc', Attributes: owned },
      time: 1,
    });
    expect(health).toMatchObject({ action: 'health', health: 'unhealthy' });
  });

  it('ignores containers that only inherit the image ownership label, helpers and other actions', () => {
    const base = { Type: 'container', Action: 'start', time: 1 };
    expect(
      parseDockerEvent('e1', {
        ...base,
        Actor: { ID: 'x', Attributes: { 'nn.managed-by': 'notary-control-plane' } },
      }),
    ).toBeNull();
    expect(
      parseDockerEvent('e1', {
        ...base,
        Actor: { ID: 'x', Attributes: { ...owned, 'nn.unit': '-', 'nn.role': 'helper' } },
      }),
    ).toBeNull();
    expect(
      parseDockerEvent('e1', { ...base, Action: 'attach', Actor: { ID: 'x', Attributes: owned } }),
    ).toBeNull();
    expect(
      parseDockerEvent('e1', { ...base, Type: 'network', Actor: { ID: 'x', Attributes: owned } }),
    ).toBeNull();
  });

  it('reads the port out of both forms of bind failure', () => {
    expect(
      portConflictOf(
        new Error('driver failed ...: Bind for 10.213.0.2:20001 failed: port is already allocated'),
      ),
    ).toBe(20001);
    expect(
      portConflictOf(
        new Error('Error starting userland proxy: listen tcp4 127.0.0.1:39001: bind: address already in use'),
      ),
    ).toBe(39001);
    expect(portConflictOf(new Error('no such image'))).toBeNull();
  });
});

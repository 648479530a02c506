import { describe, expect, it } from 'vitest';
import { nodeSpecSchema } from './node-spec.js';
import { parseOrThrow } from './zod-issues.js';

const GIB = 1024 ** 3;
const valid = {
  name: 'node-a',
  endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock' },
  labels: { zone: 'eu-1' },
  capacity: {
    memoryBytes: 64 * GIB,
    diskBytes: 1024 * GIB,
    p2pPorts: { from: 1024, to: 59999 },
    sidecarPorts: { from: 60000, to: 60999 },
  },
};

function issueAt(input: unknown): string {
  try {
    parseOrThrow(nodeSpecSchema, input);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('nodeSpecSchema', () => {
  it('accepts a node and fills in defaults', () => {
    const node = nodeSpecSchema.parse(valid);
    expect(node.schedulable).toBe(true);
    expect(node.capacity.reservedPorts).toEqual([]);
    expect(nodeSpecSchema.parse({ ...valid, labels: undefined }).labels).toEqual({});
  });

  it('accepts tls and ssh endpoints', () => {
    const tls = { kind: 'tls', host: '10.0.0.2', port: 2376, tlsDir: '/etc/nn/engines/node-b' };
    expect(nodeSpecSchema.parse({ ...valid, endpoint: tls }).endpoint).toEqual(tls);
    const ssh = nodeSpecSchema.parse({
      ...valid,
      endpoint: { kind: 'ssh', host: 'node-c.example', user: 'nn' },
    });
    expect(ssh.endpoint).toMatchObject({ kind: 'ssh', port: 22 });
  });

  it.each([
    [
      { ...valid, capacity: { ...valid.capacity, memoryBytes: '1000' } },
      /capacity\.memoryBytes: must be a number/,
    ],
    [
      { ...valid, capacity: { ...valid.capacity, sidecarPorts: { from: 59000, to: 61000 } } },
      /capacity\.sidecarPorts: must not overlap/,
    ],
    [
      { ...valid, capacity: { ...valid.capacity, p2pPorts: { from: 9000, to: 8000 } } },
      /capacity\.p2pPorts\.to: from must not exceed to/,
    ],
    [
      { ...valid, capacity: { ...valid.capacity, p2pPorts: { from: 80, to: 8000 } } },
      /capacity\.p2pPorts\.from: at least 1024/,
    ],
    [
      { ...valid, endpoint: { kind: 'unix', socketPath: '/var/../etc/passwd' } },
      /endpoint\.socketPath: must not contain "\.\."/,
    ],
    [{ ...valid, endpoint: { kind: 'tcp', host: 'a;b', port: 2375 } }, /endpoint\.host: must be a host name/],
    [{ ...valid, endpoint: { kind: 'ftp' } }, /endpoint/],
    [{ ...valid, name: 'Node_A' }, /name: may only contain/],
    [{ ...valid, labels: { zone: 'a b' } }, /labels\.zone: label values/],
    [{ ...valid, password: 'x' }, /password: unknown key/],
  ])('refuses %j', (input, message) => {
    expect(issueAt(input)).toMatch(message);
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidSpecError } from '../errors.js';
import { DockerRuntime } from './docker-runtime.js';
import { dockerRuntimeConfigSchema } from './engine-config.js';

describe('DockerRuntime config', () => {
  it('defaults to the local engine alone', () => {
    const c = dockerRuntimeConfigSchema.parse({});
    expect(c.engines).toEqual([
      {
        name: 'local',
        url: 'unix:///var/run/docker.sock',
        address: '127.0.0.1',
        labels: {},
        insecure: false,
      },
    ]);
    expect(c.network).toBe('nn-cluster');
  });

  it('accepts unix, tcp+tls and ssh engines', () => {
    const c = dockerRuntimeConfigSchema.parse({
      engines: [
        { name: 'a', url: 'unix:///run/e1/docker.sock', address: '10.213.0.2' },
        {
          name: 'b',
          url: 'tcp://10.0.0.5:2376',
          address: '10.0.0.5',
          tls: { ca: '/c', cert: '/d', key: '/e' },
        },
        { name: 'c', url: 'ssh://nn@node3.example:2222', address: '10.0.0.6' },
      ],
    });
    expect(c.engines.map((e) => e.name)).toEqual(['a', 'b', 'c']);
  });

  it('refuses tcp without TLS, duplicate names and bad URLs, naming the field', () => {
    const err = (config: unknown) => {
      try {
        new DockerRuntime(config as never);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidSpecError);
        return (e as InvalidSpecError).issues.join('\n');
      }
      return '';
    };
    expect(err({ engines: [{ name: 'b', url: 'tcp://10.0.0.5:2376', address: '10.0.0.5' }] })).toMatch(
      /engines\.0\.tls: /,
    );
    expect(err({ engines: [{ name: 'a' }, { name: 'a' }] })).toMatch(/unique/);
    expect(err({ engines: [{ name: 'a', url: 'http://x' }] })).toMatch(/engines\.0\.url: /);
    expect(err({ engines: [{ name: 'a', address: 'not-an-ip' }] })).toMatch(/engines\.0\.address/);
  });
});

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@nn/orchestrator-core';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointOf, loadOrchestratorConfig, parseOrchestratorConfig } from './config.js';

const capacity = {
  memoryBytes: 2 ** 33,
  diskBytes: 2 ** 40,
  p2pPorts: { from: 1024, to: 59_999 },
  sidecarPorts: { from: 60_000, to: 60_099 },
};
const valid = {
  nodes: [{ name: 'local', capacity }],
  api: { keysFile: '/etc/nn/api-keys.json' },
  jobs: { secretsDir: '/var/lib/nn/secrets' },
};
const issues = (input: unknown) => {
  try {
    parseOrchestratorConfig(input);
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => `${i.field}: ${i.reason}`);
    throw err;
  }
  return [];
};

const dir = mkdtempSync(join(tmpdir(), 'nn-app-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the orchestrator config file', () => {
  it('fills the single-host defaults: local engine, both roles, the nn-cluster network', () => {
    const c = parseOrchestratorConfig(valid);
    expect(c.roles).toEqual(['api', 'worker']);
    expect(c.network).toBe('nn-cluster');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.nodes[0]).toMatchObject({ url: 'unix:///var/run/docker.sock', address: '127.0.0.1' });
    expect(c.api?.listen).toBe('127.0.0.1:7780');
  });

  it('names the field and the reason for each mistake', () => {
    expect(issues({ ...valid, nodes: [] })).toEqual(['config.nodes: at least one node is needed']);
    expect(issues({ ...valid, nodes: [{ ...valid.nodes[0], name: '../x' }] })).toEqual([
      'config.nodes[0].name: must be a node name',
    ]);
    expect(
      issues({ ...valid, nodes: [{ name: 'a', url: 'tcp://10.0.0.2:2375', capacity }] }).join('\n'),
    ).toMatch(/config\.nodes\[0\]\.tls: a tcp:\/\/ engine needs tls files/);
    expect(issues({ ...valid, nodes: [valid.nodes[0], valid.nodes[0]] })).toEqual([
      'config.nodes: node names must be unique',
    ]);
    expect(issues({ ...valid, roles: ['api', 'admin'] }).join('\n')).toMatch(/^config\.roles\[1\]: /);
    expect(issues({ ...valid, api: undefined })).toEqual([
      'config.api: is required when roles include "api"',
    ]);
    expect(issues({ ...valid, roles: ['worker'], api: undefined })).toEqual([]);
    expect(issues({ ...valid, extra: 1 }).join('\n')).toMatch(/extra/);
    expect(issues({ ...valid, redisUrl: 'http://x' })).toEqual([
      'config.redisUrl: must be a redis:// or rediss:// URL',
    ]);
  });

  it('reads the file and says which file it could not read', () => {
    const path = join(dir, 'orchestrator.json');
    writeFileSync(path, JSON.stringify(valid));
    chmodSync(path, 0o600);
    expect(loadOrchestratorConfig(path).nodes[0]?.name).toBe('local');
    writeFileSync(path, '{ not json');
    expect(() => loadOrchestratorConfig(path)).toThrow(/config: cannot read .*orchestrator\.json/);
    expect(() => loadOrchestratorConfig(join(dir, 'missing.json'))).toThrow(/ENOENT/);
  });

  it('records each engine’s endpoint in the state store’s form', () => {
    const node = (url: string, extra: Record<string, unknown> = {}) =>
      parseOrchestratorConfig({ ...valid, nodes: [{ name: 'n', url, capacity, ...extra }] }).nodes[0];
    const at = (url: string, extra?: Record<string, unknown>) => {
      const n = node(url, extra);
      if (!n) throw new Error('no node');
      return endpointOf(n);
    };
    expect(at('unix:///run/e1/docker.sock')).toEqual({ kind: 'unix', socketPath: '/run/e1/docker.sock' });
    expect(at('tcp://10.213.0.2:2375', { insecure: true })).toEqual({
      kind: 'tcp',
      host: '10.213.0.2',
      port: 2375,
    });
    expect(
      at('tcp://node2.example:2376', {
        tls: { ca: '/etc/nn/tls/ca.pem', cert: '/etc/nn/tls/cert.pem', key: '/etc/nn/tls/key.pem' },
      }),
    ).toEqual({ kind: 'tls', host: 'node2.example', port: 2376, tlsDir: '/etc/nn/tls' });
    expect(at('ssh://notary@node3.example:2222')).toEqual({
      kind: 'ssh',
      host: 'node3.example',
      port: 2222,
      user: 'notary',
    });
  });
});

describe('NN_* environment overrides', () => {
  const file = join(dir, 'override.json');
  writeFileSync(file, JSON.stringify(valid));
  const load = (env: Record<string, string>) => loadOrchestratorConfig(file, env);
  const refused = (env: Record<string, string>) => {
    try {
      load(env);
    } catch (err) {
      if (err instanceof ValidationError) return err.message;
      throw err;
    }
    return 'accepted';
  };

  it('sets the fields they name on top of the file, and no NN_* variable of another program counts', () => {
    const c = load({
      NN_REDIS_URL: 'redis://redis:6379',
      NN_ROLES: 'worker, api',
      NN_API_LISTEN: '0.0.0.0:7781',
      NN_API_BODY_LIMIT: '2048',
      NN_SECRETS_DIR: '/var/lib/nn/other',
      NN_QUEUE_PREFIX: 'nn-compose',
      NN_HOME: '/nowhere',
      NN_API_URL: 'not a url',
    });
    expect(c.redisUrl).toBe('redis://redis:6379');
    expect(c.roles).toEqual(['worker', 'api']);
    expect(c.api).toMatchObject({
      listen: '0.0.0.0:7781',
      bodyLimit: 2048,
      keysFile: '/etc/nn/api-keys.json',
    });
    expect(c.jobs).toEqual({ secretsDir: '/var/lib/nn/other', queuePrefix: 'nn-compose' });
    expect(load({}).api?.listen).toBe('127.0.0.1:7780');
  });

  it('refuses a bad value with the file schema’s reason, named by its variable', () => {
    expect(refused({ NN_API_LISTEN: 'everywhere' })).toBe('NN_API_LISTEN: must be host:port');
    expect(refused({ NN_REDIS_URL: 'http://x' })).toBe('NN_REDIS_URL: must be a redis:// or rediss:// URL');
    expect(refused({ NN_ROLES: 'api,admin' })).toMatch(/^NN_ROLES: /);
    expect(refused({ NN_API_BODY_LIMIT: 'lots' })).toMatch(/^NN_API_BODY_LIMIT: .*number/);
    expect(refused({ NN_API_BODY_LIMIT: '10' })).toMatch(/^NN_API_BODY_LIMIT: /);
    expect(refused({ NN_LOG_LEVEL: 'loud' })).toMatch(/^NN_LOG_LEVEL: /);
    expect(refused({ NN_SECRETS_DIR: 'relative/dir' })).toMatch(/^NN_SECRETS_DIR: /);
    expect(refused({ NN_UNIT_PREFIX: 'Bad Prefix' })).toMatch(/^NN_UNIT_PREFIX: /);
    // A field of the file that no variable set keeps its own name.
    writeFileSync(file, JSON.stringify({ ...valid, network: '-bad' }));
    expect(refused({ NN_API_LISTEN: '127.0.0.1:7781' })).toMatch(/^config\.network: /);
    writeFileSync(file, JSON.stringify(valid));
  });
});

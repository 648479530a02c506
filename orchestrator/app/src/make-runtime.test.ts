import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@nn/orchestrator-core';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOrchestratorConfig } from './config.js';
import { makeRuntime } from './make-runtime.js';

const capacity = {
  memoryBytes: 2 ** 33,
  diskBytes: 2 ** 40,
  p2pPorts: { from: 1024, to: 59_999 },
  sidecarPorts: { from: 60_000, to: 60_099 },
};
const base = {
  nodes: [{ name: 'node-1', capacity }],
  roles: ['worker'],
  jobs: { secretsDir: '/var/lib/nn/secrets' },
};
const dir = mkdtempSync(join(tmpdir(), 'nn-app-kube-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A kubeconfig naming a cluster nobody serves: constructing the runtime makes no API call.
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(
  kubeconfig,
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'u', user: { token: 'x' } }],
    contexts: [{ name: 'c', context: { cluster: 'test', user: 'u' } }],
    'current-context': 'c',
  }),
);

describe('the runtime the config names', () => {
  const log = pino({ level: 'silent' });

  it('is Docker without a kubernetes section, Kubernetes with one', async () => {
    const docker = await makeRuntime(parseOrchestratorConfig(base), 'nn/chain-sidecar:latest', log);
    expect(docker.kind).toBe('docker');
    await docker.close();
    const config = parseOrchestratorConfig({
      ...base,
      kubernetes: { kubeconfig, namespace: 'nn', p2pExposure: 'NodePort' },
    });
    const kube = await makeRuntime(config, 'nn/chain-sidecar:latest', log);
    expect(kube.kind).toBe('kubernetes');
    await kube.close();
  });

  it('refuses a kubernetes section with no cluster, or two, or a bad namespace, naming the field', () => {
    const issues = (kubernetes: unknown) => {
      try {
        parseOrchestratorConfig({ ...base, kubernetes });
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as ValidationError).issues.map((i) => `${i.field}: ${i.reason}`).join('; ');
      }
      return '';
    };
    expect(issues({ namespace: 'nn' })).toMatch(/kubernetes\.kubeconfig: give exactly one/);
    expect(issues({ namespace: 'nn', inCluster: true, kubeconfig })).toMatch(
      /kubernetes\.kubeconfig: give exactly one/,
    );
    expect(issues({ inCluster: true, namespace: 'Bad_NS' })).toMatch(/kubernetes\.namespace: /);
    expect(issues({ inCluster: true, namespace: 'nn', p2pExposure: 'Ingress' })).toMatch(
      /kubernetes\.p2pExposure: /,
    );
  });
});

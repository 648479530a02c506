import { randomBytes } from 'node:crypto';
import { buildChainSpec } from '@nn/orchestrator-core';
import { DockerRuntime } from '@nn/runtime';
import { daemonAnswers, sampleKmdUnit } from '@nn/runtime/conformance';
import { claim, freePort } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiHarness,
  apiHarness,
  bearer,
  OPERATOR_KEY,
  TEST_IMAGE,
  VIEWER_KEY,
} from '../testing/harness.js';
import { sdTargetsSchema } from './unit-schemas.js';

// Service discovery and unit logs over the real Redis and the real engine: one chain unit of a test
// instance, made by the runtime as the workers make them (labels nn.chain and nn.instance).

const prefix = `ur${randomBytes(3).toString('hex')}`;
claim({ kind: 'docker', prefix });
const instance = prefix;
const runtime = new DockerRuntime({ requestTimeoutMs: 30_000 });
const spec = buildChainSpec({ entry: { ac_name: 'LOGSCHAIN', ac_supply: '1000' } }, { image: TEST_IMAGE });
const other = buildChainSpec({ entry: { ac_name: 'NOUNIT', ac_supply: '1000' } }, { image: TEST_IMAGE });
let h: ApiHarness;
let port: number;
let kmdPort: number;

beforeAll(async () => {
  port = await freePort();
  kmdPort = await freePort();
  const unit = sampleKmdUnit({
    name: `${prefix}-logs`,
    node: 'local',
    hostPort: port,
    images: { daemon: 'nn/devchain:latest', sidecar: 'nn/chain-sidecar:latest' },
    labels: { 'nn.chain': spec.id, 'nn.instance': instance },
    stopTimeoutSec: 10,
  });
  // One of the node's own units, labelled as node-units labels its KMD unit.
  const kmd = sampleKmdUnit({
    name: `${prefix}-kmd`,
    node: 'local',
    hostPort: kmdPort,
    images: { daemon: 'nn/devchain:latest', sidecar: 'nn/chain-sidecar:latest' },
    labels: { 'nn.role-in-node': 'kmd', 'nn.instance': instance },
    stopTimeoutSec: 10,
  });
  await runtime.ensureNetwork();
  const [handle] = await Promise.all([runtime.deployUnit(unit.spec), runtime.deployUnit(kmd.spec)]);
  await daemonAnswers(handle.endpoint, unit.viewerToken);
  h = await apiHarness({ runtime, instance, network: 'nn-cluster' });
  await h.state.chains.create(spec);
  await h.state.chains.create(other);
  // The main chain is named as its sidecar last reported it (KMDCL on kmdclassic).
  await h.state.live.put({ base: 'kmd' }, { chain: 'KMDCL' }, 60_000);
}, 180_000);

afterAll(async () => {
  await h?.close();
  for (const u of new Set(
    (await runtime.listOwned()).filter((r) => r.unit.startsWith(prefix)).map((r) => r.unit),
  ))
    await runtime.removeUnit(u, { volumes: true, timeoutSec: 10 });
  await runtime.close();
}, 120_000);

describe('GET /v1/prometheus/targets', () => {
  it("lists each unit's sidecar and the API itself, labelled, for a viewer key only", async () => {
    const url = '/v1/prometheus/targets';
    expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const res = await h.app.inject({
      method: 'GET',
      url,
      headers: { ...bearer(VIEWER_KEY), host: '127.0.0.1:7780' },
    });
    expect(res.statusCode).toBe(200);
    const groups = sdTargetsSchema.parse(res.json());
    expect(groups).toEqual([
      {
        targets: [`127.0.0.1:${kmdPort}`],
        labels: { chain: 'KMDCL', role: 'kmd', unit: `${prefix}-kmd`, node: 'local', network: 'nn-cluster' },
      },
      {
        targets: [`127.0.0.1:${port}`],
        labels: {
          chain: 'LOGSCHAIN',
          role: 'chain',
          unit: `${prefix}-logs`,
          node: 'local',
          network: 'nn-cluster',
        },
      },
      { targets: ['127.0.0.1:7780'], labels: { role: 'api', network: 'nn-cluster' } },
    ]);
    // Nothing on it changes state: other methods are not routes.
    for (const method of ['POST', 'PUT', 'DELETE'] as const)
      expect((await h.app.inject({ method, url, headers: bearer(OPERATOR_KEY) })).statusCode).toBe(404);
  });
});

describe('GET /v1/chains/:id/logs', () => {
  const logs = (id: string, query = '', key = OPERATOR_KEY) =>
    h.app.inject({ method: 'GET', url: `/v1/chains/${id}/logs${query}`, headers: bearer(key) });

  it("streams the daemon's log, or the sidecar's, to an operator key", async () => {
    const daemon = await logs(spec.id);
    expect(daemon.statusCode).toBe(200);
    expect(daemon.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(daemon.body).toContain('KMD');
    expect(daemon.body).not.toContain('chain-sidecar');
    const sidecar = await logs(spec.id, '?container=sidecar&tail=1');
    expect(sidecar.statusCode).toBe(200);
    expect(sidecar.body).toContain('chain-sidecar');
    expect(sidecar.body.trim().split('\n')).toHaveLength(1);
    expect((await logs(spec.id, '?since=2h30m')).body).toBe(daemon.body);
    expect((await logs(spec.id, `?since=${new Date(Date.now() + 3_600_000).toISOString()}`)).body).toBe('');
  });

  it('refuses a viewer key, bad options by name, and chains without a unit of this orchestrator', async () => {
    expect((await logs(spec.id, '', VIEWER_KEY)).statusCode).toBe(403);
    const bad = await logs(spec.id, '?since=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('since');
    expect((await logs(spec.id, '?container=shell')).json().error.field).toBe('container');
    const absent = await logs('nosuchchain');
    expect(absent.statusCode).toBe(404);
    const unowned = await logs(other.id);
    expect(unowned.statusCode).toBe(404);
    expect(unowned.json().error.message).toContain('no unit this orchestrator owns');
  });

  it('follows over HTTP until the client goes away', async () => {
    const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const abort = new AbortController();
    const res = await fetch(`${url}/v1/chains/${spec.id}/logs?follow=true&container=sidecar`, {
      headers: bearer(OPERATOR_KEY),
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const reader = res.body?.getReader();
    let text = '';
    while (!text.includes('sidecar listening')) {
      const { value, done } = (await reader?.read()) ?? { done: true };
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    expect(text).toContain('sidecar listening');
    abort.abort();
    // The server's side ends too: the app can close (a stream left open would hold it).
    await h.app.close();
  });
});

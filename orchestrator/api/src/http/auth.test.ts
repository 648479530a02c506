import { afterEach, describe, expect, it } from 'vitest';
import {
  type ApiHarness,
  apiHarness,
  bearer,
  OPERATOR_KEY,
  season8Entries,
  VIEWER_KEY,
} from '../testing/harness.js';

// API keys, roles, rate limits and the dashboard's two boards, over the real Redis and queues.

let h: ApiHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const addBody = () => ({ entry: season8Entries()[0] });

describe('API keys and roles', () => {
  it('refuses every mutation without a key (401) and from a viewer (403), creating nothing', async () => {
    h = await apiHarness();
    const app = h.app;
    await h.state.chains.create(
      // a chain to aim DELETE and restart at, so a 401/403 cannot be a 404 in disguise
      (await import('@nn/orchestrator-core')).buildChainSpec(
        { entry: season8Entries()[1] },
        { image: 'nn/devchain:0.1.0' },
      ),
    );
    const keysBefore = await h.countKeys();
    const mutations = [
      { method: 'POST' as const, url: '/v1/chains', payload: addBody() },
      { method: 'POST' as const, url: '/v1/chains/import', payload: season8Entries() },
      { method: 'DELETE' as const, url: '/v1/chains/clc' },
      { method: 'POST' as const, url: '/v1/chains/clc/restart', payload: {} },
    ];
    for (const m of mutations) {
      const anonymous = await app.inject(m);
      expect(anonymous.statusCode, `${m.method} ${m.url}`).toBe(401);
      expect(anonymous.json().error.code).toBe('unauthorized');
      const wrong = await app.inject({ ...m, headers: bearer('not-a-key-but-long-enough') });
      expect(wrong.statusCode).toBe(401);
      const viewer = await app.inject({ ...m, headers: bearer(VIEWER_KEY) });
      expect(viewer.statusCode, `${m.method} ${m.url}`).toBe(403);
      expect(viewer.json().error).toMatchObject({
        code: 'forbidden',
        message: expect.stringMatching(/operator/),
      });
    }
    expect(await h.countKeys()).toBe(keysBefore);
    expect(await h.countJobs()).toBe(0);
  });

  it('lets a viewer read and needs a key for reads under /v1', async () => {
    h = await apiHarness();
    expect((await h.app.inject({ method: 'GET', url: '/v1/chains' })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/v1/nope' })).statusCode).toBe(401);
    const listed = await h.app.inject({ method: 'GET', url: '/v1/chains', headers: bearer(VIEWER_KEY) });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({ chains: [] });
    for (const url of ['/v1/jobs', '/v1/nodes'])
      expect((await h.app.inject({ method: 'GET', url, headers: bearer(VIEWER_KEY) })).statusCode).toBe(200);
  });

  it('accepts the key as a Basic password (browsers, for the dashboard)', async () => {
    h = await apiHarness();
    const basic = `Basic ${Buffer.from(`anyone:${OPERATOR_KEY}`).toString('base64')}`;
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/chains',
      headers: { authorization: basic },
      payload: addBody(),
    });
    expect(res.statusCode).toBe(202);
  });

  it('serves health, metrics and the OpenAPI document without a key', async () => {
    h = await apiHarness();
    const health = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ ok: true, redis: 'up' });
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/nn_chains\{status="ready"\} 0/);
    expect(metrics.body).toMatch(/nn_api_requests_total\{method="GET",route="\/healthz",status="200"\} 1/);
    expect((await h.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
  });

  it('rate-limits per key with 429 and Retry-After', async () => {
    h = await apiHarness({ rateLimitPerMinute: 3 });
    const get = () => h?.app.inject({ method: 'GET', url: '/v1/chains', headers: bearer(VIEWER_KEY) });
    for (let i = 0; i < 3; i++) expect((await get())?.statusCode).toBe(200);
    const limited = await get();
    expect(limited?.statusCode).toBe(429);
    expect(limited?.json().error.code).toBe('rate_limited');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    // another key has its own budget
    const other = await h.app.inject({ method: 'GET', url: '/v1/chains', headers: bearer(OPERATOR_KEY) });
    expect(other.statusCode).toBe(200);
  });
});

describe('queue dashboard', () => {
  it('asks for a key, sends each role to its board, and keeps viewers read-only', async () => {
    h = await apiHarness();
    const app = h.app;
    const anonymous = await app.inject({ method: 'GET', url: '/admin/queues' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic/);

    const toViewer = await app.inject({ method: 'GET', url: '/admin/queues', headers: bearer(VIEWER_KEY) });
    expect(toViewer.statusCode).toBe(302);
    expect(toViewer.headers.location).toBe('/admin/queues/viewer');
    const toOperator = await app.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: bearer(OPERATOR_KEY),
    });
    expect(toOperator.headers.location).toBe('/admin/queues/operator');

    const page = await app.inject({
      method: 'GET',
      url: '/admin/queues/viewer',
      headers: bearer(VIEWER_KEY),
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);

    const viewerQueues = await app.inject({
      method: 'GET',
      url: '/admin/queues/viewer/api/queues',
      headers: bearer(VIEWER_KEY),
    });
    const queues = viewerQueues.json().queues as Array<{ name: string; readOnlyMode: boolean }>;
    expect(queues.map((q) => q.name)).toEqual(['nn-orchestrator']);
    expect(queues.every((q) => q.readOnlyMode)).toBe(true);

    // A viewer can neither open the operator's board nor act through the read-only one.
    const operatorBoard = await app.inject({
      method: 'GET',
      url: '/admin/queues/operator/api/queues',
      headers: bearer(VIEWER_KEY),
    });
    expect(operatorBoard.statusCode).toBe(403);
    const pause = await app.inject({
      method: 'PUT',
      url: '/admin/queues/viewer/api/queues/nn-orchestrator/pause',
      headers: bearer(VIEWER_KEY),
    });
    expect(pause.statusCode).toBe(403);
    expect(await h.queue.queue.isPaused()).toBe(false);
    // Even an operator cannot act through the read-only board (bull-board refuses it).
    const viaReadOnly = await app.inject({
      method: 'PUT',
      url: '/admin/queues/viewer/api/queues/nn-orchestrator/pause',
      headers: bearer(OPERATOR_KEY),
    });
    expect(viaReadOnly.statusCode).toBe(405);
    expect(await h.queue.queue.isPaused()).toBe(false);

    const operatorQueues = await app.inject({
      method: 'GET',
      url: '/admin/queues/operator/api/queues',
      headers: bearer(OPERATOR_KEY),
    });
    const opQueues = operatorQueues.json().queues as Array<{ readOnlyMode: boolean }>;
    expect(opQueues.some((q) => q.readOnlyMode)).toBe(false);
    const opPause = await app.inject({
      method: 'PUT',
      url: '/admin/queues/operator/api/queues/nn-orchestrator/pause',
      headers: bearer(OPERATOR_KEY),
    });
    expect(opPause.statusCode).toBe(200);
    expect(await h.queue.queue.isPaused()).toBe(true);
  });
});

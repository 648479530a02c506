import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../routes.js';
import { apiHarness } from '../testing/harness.js';
import { registerStatusPage } from './status-page.js';

// The page's three files as the API serves them: without a key (they hold no data), with a policy that
// lets the page load only them and talk only to this API; and a missing file is a 503 naming it, not an
// API that fails to start.

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('the status page files', () => {
  it('are served without a key, each with its type and the page’s security policy', async () => {
    const h = await apiHarness();
    closers.push(() => h.close());
    for (const [route, type] of [
      [API_ROUTES.statusPage, 'text/html'],
      [API_ROUTES.statusPageScript, 'text/javascript'],
      [API_ROUTES.statusPageStyle, 'text/css'],
    ] as const) {
      const res = await h.app.inject({ method: 'GET', url: route.path });
      expect(res.statusCode, route.path).toBe(200);
      expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self';/);
      expect(res.headers['content-security-policy']).toMatch(/connect-src 'self';.*form-action 'none'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const html = await h.app.inject({ method: 'GET', url: API_ROUTES.statusPage.path });
    // Same-origin files only: nothing from a CDN, no inline script.
    expect(html.body).toMatch(/<script type="module" src="status\/page.js"><\/script>/);
    expect(html.body).not.toMatch(/https?:\/\//);
  });

  it('a missing file is a 503 naming it, and the rest of the API is unaffected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nn-status-page-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const app = Fastify();
    closers.push(() => app.close());
    registerStatusPage(app, pathToFileURL(`${dir}/`));
    app.get('/other', async () => ({ ok: true }));
    const res = await app.inject({ method: 'GET', url: API_ROUTES.statusPageScript.path });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.message).toContain(`${dir}/page.js (ENOENT)`);
    expect((await app.inject({ method: 'GET', url: '/other' })).statusCode).toBe(200);
  });
});

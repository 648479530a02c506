import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { API_ROUTES } from '../routes.js';

// The status page: a static HTML file, its script and its style sheet (status-page/), served as they are
// (no build step, nothing from another origin). The three files hold no data and need no key; what the
// page shows comes from the viewer routes, with the key the operator types into it. The security policy
// lets the page load only these files and talk only to this API: an inline script (injected markup) or a
// form posted elsewhere is refused by the browser, on top of the page never writing markup from data.

/** Where the files are: beside this module (and beside the bundle, which ships the folder with it). */
export const STATUS_PAGE_DIR = new URL('./status-page/', import.meta.url);

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FILES = [
  { route: API_ROUTES.statusPage, file: 'index.html', type: 'text/html; charset=utf-8' },
  { route: API_ROUTES.statusPageScript, file: 'page.js', type: 'text/javascript; charset=utf-8' },
  { route: API_ROUTES.statusPageStyle, file: 'page.css', type: 'text/css; charset=utf-8' },
] as const;

/** The file's bytes, or why it cannot be read. */
function readAsset(dir: URL, file: string): Buffer | string {
  const url = new URL(file, dir);
  try {
    return readFileSync(url);
  } catch (err) {
    return `status page: cannot read ${url.pathname} (${(err as NodeJS.ErrnoException).code ?? String(err)}); the folder status-page/ must sit beside the API module or its bundle`;
  }
}

/**
 * Registers the page's three routes, reading the files once, at start. A missing file is logged at start
 * and its route answers 503 naming it: the API's other routes do not depend on the page.
 */
export function registerStatusPage(app: FastifyInstance, dir: URL = STATUS_PAGE_DIR): void {
  for (const { route, file, type } of FILES) {
    const body = readAsset(dir, file);
    if (typeof body === 'string') {
      app.log.error(body);
      app.get(route.path, async (_req, reply) =>
        reply.status(503).send({ error: { code: 'unavailable', message: body } }),
      );
      continue;
    }
    app.get(route.path, async (_req, reply) =>
      reply
        .header('content-type', type)
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store')
        .send(body),
    );
  }
}

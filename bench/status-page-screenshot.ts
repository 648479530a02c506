// `pnpm exec tsx bench/status-page-screenshot.ts`: takes docs/status-page.png, the status page in
// headless Chromium over the state its test uses (an API on a free loopback port, the local Redis under
// a prefix of its own, everything removed at the end). Not a benchmark: it sits here as bench/'s other
// scripts do, outside the packages, and `pnpm bench` does not run it.
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { launchChromium } from '../orchestrator/api/src/testing/chromium.js';
import { apiHarness, VIEWER_KEY } from '../orchestrator/api/src/testing/harness.js';
import { seedNode } from '../orchestrator/api/src/testing/status-page-state.js';
import { REPO_ROOT } from '../test/kit/src/index.js';

const out = join(REPO_ROOT, 'docs', 'status-page.png');
const h = await apiHarness();
const seeded = await seedNode(h);
const chromium = await launchChromium({ width: 1360, height: 760 });
try {
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const page = await chromium.context.newPage();
  await page.goto(`${base}/status`);
  await page.fill('#key', VIEWER_KEY);
  await page.click('#login-form button[type=submit]');
  await page.locator('#failures tbody tr:not(.empty)').first().waitFor();
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await chromium.close();
  await seeded.close();
  await h.close();
}

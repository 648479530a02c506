import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_ROUTES, type RouteDef } from '../routes.js';
import { type ChromiumSession, launchChromium } from '../testing/chromium.js';
import { type ApiHarness, apiHarness, VIEWER_KEY } from '../testing/harness.js';
import { type SeededNode, seedNode } from '../testing/status-page-state.js';

// The status page in headless Chromium (Debian's chromium, playwright-core) against an API over a real
// Redis state and a real BullMQ queue: chains with live statuses, jobs active, waiting and failed. What an
// operator sees in the tables, that the page follows the state by itself, that a wrong key is refused,
// that data is only ever text, and that the page only reads.

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

// Markup in the places where data reaches the page: a chain's status reason, a job's error, a coin's
// name. Shown as text, they make no element.
const HOSTILE_ERROR = 'images: <img src=x onerror="document.title=\'pwned\'"> pull failed';
const HOSTILE_REASON = '<b>bold</b><script>document.title="pwned"</script>';
const HOSTILE_COIN = '<svg onload=alert(1)>';

let h: ApiHarness;
let seeded: SeededNode;
let chromium: ChromiumSession;
let page: Page;
let base: string;
const requests: Array<{ method: string; url: string }> = [];

beforeAll(async () => {
  h = await apiHarness();
  seeded = await seedNode(h, { failure: HOSTILE_ERROR, statusReason: HOSTILE_REASON });
  const [iguana] = await h.state.live.getMany([{ base: 'iguana' }]);
  const coins = (iguana?.coins ?? []) as Array<Record<string, unknown>>;
  await h.state.live.put(
    { base: 'iguana' },
    { ...iguana, coins: [...coins, { ...coins[0], name: HOSTILE_COIN, kind: 'assetchain' }] },
    60_000,
  );
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  chromium = await launchChromium();
  page = await chromium.context.newPage();
  page.on('request', (r) => requests.push({ method: r.method(), url: r.url() }));
});
afterAll(async () => {
  await chromium?.close();
  await seeded?.close();
  await h?.close();
});

// The page's own scripts run in the browser; the test reads it through locators and string expressions
// (the workspace's types are Node's, not the DOM's).
async function rowsOf(table: string): Promise<string[][]> {
  const rows = await page.locator(`#${table} tbody tr`).all();
  return Promise.all(rows.map((row) => row.locator('td').allTextContents()));
}
const storedKey = () => page.evaluate<string | null>("sessionStorage.getItem('nn.status.key')");

describe('the status page in Chromium', () => {
  it('asks for a key, and a wrong key is refused with an error and shows nothing', async () => {
    await page.goto(`${base}${API_ROUTES.statusPage.path}?every=1`);
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await page.locator('#board').isHidden()).toBe(true);
    await page.fill('#key', 'not-a-key-of-this-api');
    await page.click('#login-form button[type=submit]');
    const error = page.locator('#login-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toMatch(/refused this key \(401: missing or unknown API key/);
    expect(await page.locator('#board').isHidden()).toBe(true);
    expect(await storedKey()).toBeNull();
  });

  it('with a viewer key shows the chains, the jobs in flight and the last failures', async () => {
    await page.fill('#key', VIEWER_KEY);
    await page.click('#login-form button[type=submit]');
    await page.locator('#board').waitFor({ state: 'visible' });
    await page.locator('#failures tbody tr:not(.empty)').first().waitFor();
    expect(await page.locator('#login').isHidden()).toBe(true);
    expect(await storedKey()).toBe(VIEWER_KEY);

    const [ccl, clc, iln, koin, pirate] = seeded.chainIds;
    const chains = await rowsOf('chains');
    // Chain, State, Height, Sync, Peers, Notarised, Lag, Notarised age, dPoW, UTXOs, Balance, Wallet, Reported
    expect(chains.map((r) => r.slice(0, 7).concat(r.slice(8, 12)))).toEqual([
      [
        'KMDbase chain',
        '—',
        '4,702,113',
        'synced',
        '8',
        '4,702,101',
        '12',
        'active',
        '61',
        '18.03',
        '14.1 MiB',
      ],
      [
        `${ccl}CCL`,
        'ready',
        '5,250,210',
        'synced',
        '8',
        '5,250,200',
        '10',
        'active',
        '46',
        '41.2',
        '2.3 MiB',
      ],
      [
        `${clc}CLC`,
        'ready',
        '3,310,498',
        'synced',
        '8',
        '3,310,480',
        '18',
        'irregular',
        '0',
        '41.2',
        '2.3 MiB',
      ],
      [
        `${iln}ILN`,
        'syncing',
        '812,345 / 1,021,877',
        'syncing 79.4 %',
        '3',
        '0',
        '—',
        'unregistered',
        '—',
        '41.2',
        '2.3 MiB',
      ],
      [`${koin}KOIN`, 'failed', '—', 'no report', '—', '—', '—', 'not in Iguana', '—', '—', '—'],
      [`${pirate}PIRATE`, 'provisioning', '—', 'no report', '—', '—', '—', 'not in Iguana', '—', '—', '—'],
      ['LTCIguana coin', '—', '—', '—', '—', '2,871,004', '—', 'destination', '—', '—', '—'],
      [`${HOSTILE_COIN}Iguana coin`, '—', '—', '—', '—', '4,702,101', '—', 'active', '—', '—', '—'],
    ]);
    // Notarised age: minutes for the fresh ones, hours (amber) for the irregular one.
    expect(chains[0]?.[7]).toBe('4 min');
    expect(chains[2]?.[7]).toBe('3.0 h');
    expect(await page.locator('#chains tbody tr:nth-child(3) td:nth-child(8)').getAttribute('class')).toBe(
      'tone-warn',
    );
    // Status colours: a wallet past 10 MB is amber, no UTXOs is red, the failed chain's state is red.
    expect(
      await page.locator('#chains tbody tr:nth-child(1) td:nth-child(12)').getAttribute('class'),
    ).toMatch(/tone-warn/);
    expect(
      await page.locator('#chains tbody tr:nth-child(3) td:nth-child(10)').getAttribute('class'),
    ).toMatch(/tone-bad/);
    const failedState = page.locator('#chains tbody tr:nth-child(5) td:nth-child(2)');
    expect(await failedState.locator('.badge').getAttribute('class')).toBe('badge tone-bad');
    expect(await failedState.getAttribute('title')).toBe(HOSTILE_REASON);

    const jobs = await rowsOf('jobs');
    // Job, Kind, Chain, State, Step, Progress, Attempt, Queued
    expect(jobs.map((r) => r.slice(1, 7))).toEqual([
      [
        'chain.add',
        pirate,
        'active',
        'wait-ready',
        '8/11 waiting for RPC (warm-up: Loading block index...)',
        '1/6',
      ],
      ['chain.restart', ccl, 'waiting', '—', '—', '0/6'],
    ]);
    const failures = await rowsOf('failures');
    expect(failures.map((r) => r.slice(2, 6))).toEqual([['chain.add', koin, HOSTILE_ERROR, '1/6']]);
    expect(await page.locator('#summary').textContent()).toBe(
      '5 chains2/5 synced2 jobs in flight1 recent failures',
    );
  });

  it('shows data as text only: the hostile strings made no element and ran nothing', async () => {
    expect(await page.locator('img, svg, td b').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.title()).toBe('Notary node status');
  });

  it('follows the state by itself, without reloading', async () => {
    await page.evaluate('window.notReloaded = true');
    const [ccl, , iln] = seeded.chainIds;
    if (ccl === undefined || iln === undefined) throw new Error('seeded chains missing');
    await h.state.chains.mutate(iln, () => ({ status: 'ready' }));
    const [live] = await h.state.live.getMany([{ chain: ccl }]);
    await h.state.live.put(
      { chain: ccl },
      { ...live, blocks: 5_250_299, headers: 5_250_299, at: Date.now() },
      60_000,
    );
    const cclHeight = page.locator('#chains tbody tr:nth-child(2) td:nth-child(3)');
    await expect.poll(() => cclHeight.textContent(), { timeout: 30_000 }).toBe('5,250,299');
    await expect
      .poll(() => page.locator('#chains tbody tr:nth-child(4) td:nth-child(2)').textContent(), {
        timeout: 30_000,
      })
      .toBe('ready');
    expect(await page.evaluate('window.notReloaded')).toBe(true);
  });

  it('made GET requests only, of its own files and of viewer routes', async () => {
    expect(requests.length).toBeGreaterThan(10);
    const allowed = new Map<string, false | RouteDef['auth']>(
      Object.values(API_ROUTES).map((r: RouteDef) => [r.path, r.auth]),
    );
    for (const { method, url } of requests) {
      const { origin, pathname } = new URL(url);
      expect({ method, origin }).toEqual({ method: 'GET', origin: base });
      const auth = allowed.get(pathname);
      expect([false, 'viewer'], pathname).toContain(auth);
      if (auth === false) expect(pathname, 'a public route').toMatch(/^\/status/);
    }
    const paths = new Set(requests.map((r) => new URL(r.url).pathname));
    expect([...paths].sort()).toEqual([
      '/status',
      '/status/page.css',
      '/status/page.js',
      '/v1/chains',
      '/v1/jobs',
      '/v1/status',
    ]);
  });

  it('forgets the key on request', async () => {
    await page.click('#forget');
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await storedKey()).toBeNull();
    expect(await page.locator('#board').isHidden()).toBe(true);
  });
});

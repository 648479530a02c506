import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '@nn/orchestrator-api/testing/chromium';
import { eventually, freePort, ProcessTracker, REPO_ROOT } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { docker } from '../helpers/docker.js';
import { testNode } from '../helpers/test-node.js';

// A real Prometheus (Debian's package) against a devnet node brought up with `nnctl up` under this run's
// name: it finds every unit through the API's service discovery with the shipped prometheus.yml, scrapes
// each one up, and, once a chain's daemon is killed, fires NNDaemonRpcDown from the shipped rules (their
// `for` shortened in a copy: the shipped ones are what promtool tests). The same node serves
// `nnctl chain logs`. Prometheus listens on a free loopback port with a temporary store, keeps only
// loopback targets, and is stopped by its own pid at the end, also on failure.

vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const node = testNode('prom');
const { name, home, apiPort, env: ENV } = node;
const MONITORING = join(REPO_ROOT, 'deploy', 'monitoring');
const procs = new ProcessTracker();
const nnctl = (...args: string[]) => node.nnctl(args, 120_000);
const NNCTL = ['--import', 'tsx', 'orchestrator/cli/src/main.ts', '--api', `http://127.0.0.1:${apiPort}`];

let promUrl = '';

interface Target {
  labels: Record<string, string>;
  discoveredLabels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  lastError: string;
}
interface Alert {
  labels: Record<string, string>;
  state: string;
}
async function prom<T>(path: string): Promise<T> {
  const res = await fetch(`${promUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; data: T };
  if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body.data;
}

/** The shipped configuration, pointed at this node's API, with short intervals and loopback targets only. */
function prometheusConfig(dir: string, rulesFile: string): string {
  const shipped = readFileSync(join(MONITORING, 'prometheus.yml'), 'utf8');
  expect(shipped).toContain('url: http://127.0.0.1:7780/v1/prometheus/targets');
  return shipped
    .replace('http://127.0.0.1:7780/', `http://127.0.0.1:${apiPort}/`)
    .replace(/scrape_interval: 30s/, 'scrape_interval: 2s')
    .replace(/scrape_timeout: 10s/, 'scrape_timeout: 2s')
    .replace(/evaluation_interval: 30s/, 'evaluation_interval: 1s')
    .replace(/refresh_interval: 30s/, 'refresh_interval: 2s')
    .replace('credentials_file: nn-viewer.key', `credentials_file: ${join(dir, 'nn-viewer.key')}`)
    .replace('  - alerts.yml', `  - ${rulesFile}`)
    .concat(
      // The devnet's sidecar ports are published on the node's address: here that must be loopback.
      '    relabel_configs:\n',
      '      - source_labels: [__address__]\n',
      "        regex: '127\\.0\\.0\\.1:[0-9]+'\n",
      '        action: keep\n',
    );
}

beforeAll(async () => {
  const up = await node.upScript();
  if (up.code !== 0) throw new Error(`up.sh failed (${up.code}):\n${up.stdout}\n${up.stderr}`);

  const dir = join(home, 'prometheus');
  mkdirSync(join(dir, 'data'), { recursive: true });
  const keys = JSON.parse(readFileSync(join(home, name, 'api-keys.json'), 'utf8')) as { viewer: string[] };
  writeFileSync(join(dir, 'nn-viewer.key'), `${keys.viewer[0]}\n`, { mode: 0o600 });
  const rules = readFileSync(join(MONITORING, 'alerts.yml'), 'utf8').replace(/for: \d+[mh]/g, 'for: 4s');
  writeFileSync(join(dir, 'alerts.yml'), rules);
  writeFileSync(join(dir, 'prometheus.yml'), prometheusConfig(dir, join(dir, 'alerts.yml')));
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  const server = procs.start('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  await eventually(
    async () => {
      if (server.proc.exitCode !== null) throw new Error(`prometheus exited:\n${server.output()}`);
      return (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.status === 200 ? true : undefined;
    },
    60_000,
    'Prometheus to be ready',
  );
});

afterAll(async () => {
  await procs.close();
  await node.remove();
});

const CHAINS = ['CCL', 'ILN', 'KOIN'];

describe('Prometheus on the devnet through the API service discovery', () => {
  it('scrapes every unit: each chain sidecar, LTC, KMD, Iguana and the API, all up and labelled', async () => {
    const targets = await eventually(
      async () => {
        const data = await prom<{ activeTargets: Target[] }>('/api/v1/targets?state=active');
        const ours = data.activeTargets.filter((t) => t.labels.job === 'nn-units');
        return ours.length === 7 && ours.every((t) => t.health === 'up') ? ours : undefined;
      },
      180_000,
      'seven nn-units targets up',
    );
    const seen = targets.map((t) => `${t.labels.role}:${t.labels.chain ?? '-'}`).sort();
    expect(seen).toEqual(
      ['api:-', 'chain:CCL', 'chain:ILN', 'chain:KOIN', 'destination:LTC', 'iguana:-', 'kmd:KMD'].sort(),
    );
    for (const t of targets) {
      expect(t.scrapeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(t.labels.network).toBe(`nn-${name}`);
      if (t.labels.role !== 'api') expect(t.labels.node).toBe('local');
    }
    // The sidecars' own samples keep their `chain` label (honor_labels), as the rules and the dashboard use it.
    const rpc = await eventually(
      async () => {
        const r = await prom<{ result: Array<{ metric: Record<string, string> }> }>(
          '/api/v1/query?query=nn_chain_rpc_up%3D%3D1',
        );
        return r.result.length === 5 ? r.result : undefined;
      },
      60_000,
      'nn_chain_rpc_up of five chains',
    );
    expect(rpc.map((r) => r.metric.chain).sort()).toEqual(['KMD', 'LTC', ...CHAINS].sort());
    const volume = await prom<{ result: unknown[] }>('/api/v1/query?query=nn_chain_volume_used_ratio');
    expect(volume.result.length).toBe(5);
    const redis = await prom<{ result: Array<{ value: [number, string] }> }>(
      '/api/v1/query?query=nn_redis_up',
    );
    expect(redis.result.map((r) => r.value[1])).toEqual(['1']);
  });

  it("shows the devnet's chains on the status page in headless Chromium (viewer key)", async () => {
    const keys = JSON.parse(readFileSync(join(home, name, 'api-keys.json'), 'utf8')) as { viewer: string[] };
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`http://127.0.0.1:${apiPort}/status?every=1`);
      await page.fill('#key', keys.viewer[0] ?? '');
      await page.click('#login-form button[type=submit]');
      await page.locator('#board').waitFor({ state: 'visible' });
      // Every chain row with a height and a notarised height read from the live node.
      const rows = await eventually(
        async () => {
          const cells = await Promise.all(
            (await page.locator('#chains tbody tr').all()).map((r) => r.locator('td').allTextContents()),
          );
          const live = cells.filter((c) => /^\d[\d,]*/.test(c[2] ?? '') && /^\d[\d,]*$/.test(c[5] ?? ''));
          return CHAINS.every((chain) => live.some((c) => (c[0] ?? '').includes(chain))) ? cells : undefined;
        },
        120_000,
        'the status page showing every chain with its height and notarised height',
      );
      expect(rows.some((c) => (c[0] ?? '').startsWith('KMD'))).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it("streams a chain's logs through nnctl chain logs (operator key), following until interrupted", async () => {
    const daemon = await nnctl('chain', 'logs', 'ccl');
    expect(daemon.code, daemon.stderr).toBe(0);
    expect(daemon.stdout).toContain('"chain":"CCL"');
    expect(daemon.stdout).not.toContain('chain-sidecar');
    const last = await nnctl('chain', 'logs', 'ccl', '--tail', '1');
    expect(last.stdout.trim().split('\n')).toHaveLength(1);
    expect(daemon.stdout.trimEnd().endsWith(last.stdout.trimEnd())).toBe(true);
    const sidecar = await nnctl('chain', 'logs', 'ccl', '--sidecar', '--since', '24h');
    expect(sidecar.code, sidecar.stderr).toBe(0);
    expect(sidecar.stdout).toContain('sidecar listening');

    const follow = procs.start(
      process.execPath,
      [...NNCTL, 'chain', 'logs', 'ccl', '--sidecar', '--follow'],
      {
        cwd: REPO_ROOT,
        env: ENV,
      },
    );
    await eventually(
      async () => (follow.output().includes('sidecar listening') ? true : undefined),
      60_000,
      'the followed log',
    );
    expect(follow.proc.exitCode).toBeNull();
    expect(await follow.kill('SIGINT')).toBe(0);

    const since = await nnctl('chain', 'logs', 'ccl', '--since', 'yesterday');
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since yesterday: must be a duration');
    const unknown = await nnctl('chain', 'logs', 'nosuch');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('404 not_found');
    const viewer = join(home, 'viewer.key');
    const keys = JSON.parse(readFileSync(join(home, name, 'api-keys.json'), 'utf8')) as { viewer: string[] };
    writeFileSync(viewer, `${keys.viewer[0]}\n`, { mode: 0o600 });
    const refused = await nnctl('--key-file', viewer, 'chain', 'logs', 'ccl');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('403');
  });

  it('fires NNDaemonRpcDown when a chain daemon is killed', async () => {
    // Nothing may bring the daemon back meanwhile: the orchestrator's reconcile would (the engine does
    // not restart a killed container). Stopped first, it then also shows as a target down.
    const orchestrator = docker.getContainer(`${name}-orchestrator`);
    await orchestrator.stop({ t: 30 });
    await docker.getContainer(`${name}-c-ccl-daemon`).kill();
    const fired = await eventually(
      async () => {
        const { alerts } = await prom<{ alerts: Alert[] }>('/api/v1/alerts');
        const down = alerts.filter((a) => a.labels.alertname === 'NNDaemonRpcDown' && a.state === 'firing');
        return down.length > 0 ? down : undefined;
      },
      120_000,
      'NNDaemonRpcDown to fire',
    );
    expect(fired.map((a) => a.labels.chain)).toEqual(['CCL']);
    expect(fired[0]?.labels.severity).toBe('critical');
    await eventually(
      async () => {
        const { alerts } = await prom<{ alerts: Alert[] }>('/api/v1/alerts');
        return alerts.some(
          (a) => a.labels.alertname === 'NNTargetDown' && a.labels.role === 'api' && a.state === 'firing',
        )
          ? true
          : undefined;
      },
      120_000,
      'NNTargetDown of the API to fire',
    );
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The shipped alert rules, checked and unit-tested by Prometheus' own promtool (Debian's `prometheus`
// package; .ci/run installs it), and every metric they name is one the project exports.

const dir = new URL('../../deploy/monitoring/', import.meta.url);
const rulesFile = new URL('alerts.yml', dir);
const testsFile = new URL('alerts.test.yml', dir);
const METRIC_SOURCES = [
  '../../services/chain-sidecar/src/metrics.ts',
  '../../services/iguana-sidecar/src/metrics.ts',
  '../../orchestrator/api/src/http/metrics.ts',
];

function promtool(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', cwd: dir.pathname });
  if (r.error)
    throw new Error(
      `promtool not found (install Debian's prometheus package; .ci/run does): ${r.error.message}`,
    );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('deploy/monitoring alert rules', () => {
  const rules = readFileSync(rulesFile, 'utf8');
  const alerts = [...rules.matchAll(/^\s*- alert: (\w+)$/gm)].map((m) => m[1]);

  it('pass promtool check rules', () => {
    const r = promtool('check', 'rules', 'alerts.yml');
    expect(r.out).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(r.status).toBe(0);
  });

  it('pass their unit tests, and every alert has one that sees it fire', () => {
    const r = promtool('test', 'rules', 'alerts.test.yml');
    expect(r.out).toContain('SUCCESS');
    expect(r.status).toBe(0);
    const tests = readFileSync(testsFile, 'utf8');
    const firing = new Set(
      [...tests.matchAll(/alertname: (\w+)\n\s+exp_alerts:\n\s+- exp_labels/g)].map((m) => m[1]),
    );
    expect(alerts.length).toBeGreaterThan(5);
    expect(alerts.filter((a) => !firing.has(a))).toEqual([]);
  });

  it('name only metrics the sidecars and the API export', () => {
    const exprs = [...rules.matchAll(/^\s*expr: (.+)$/gm)].map((m) => m[1] ?? '').join('\n');
    const named = new Set([...exprs.matchAll(/\b(nn_[a-z_]+)\b/g)].map((m) => m[1] ?? ''));
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((n) => !isExported(n))).toEqual([]);
  });
});

describe('deploy/monitoring Prometheus configuration', () => {
  it('passes promtool check config: service discovery through the API with a viewer key, and the rules', () => {
    const config = readFileSync(new URL('prometheus.yml', dir), 'utf8');
    expect(config).toMatch(/http_sd_configs:\n\s+- url: http:\/\/127\.0\.0\.1:7780\/v1\/prometheus\/targets/);
    expect(config).toMatch(/authorization:\n\s+type: Bearer\n\s+credentials_file: nn-viewer\.key/);
    expect(config).toMatch(/rule_files:\n\s+- alerts\.yml/);
    const r = promtool('check', 'config', 'prometheus.yml');
    expect(r.out).toContain('SUCCESS: prometheus.yml is valid prometheus config file syntax');
    expect(r.status).toBe(0);
  });
});

describe('deploy/monitoring Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(new URL('grafana/notary-node.json', dir), 'utf8')) as {
    panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
  };

  it('shows per chain height vs peers, notarisation, UTXOs, balance, wallet, disk; Iguana; node, Redis and queue', () => {
    const titles = dashboard.panels.map((p) => p.title);
    for (const t of ['Height vs network', 'Peers', 'Notarised height', 'Notarisation lag', 'Notary UTXOs'])
      expect(titles).toContain(t);
    for (const t of ['Balance', 'wallet.dat size', 'Time since last notarisation', 'Jobs by state'])
      expect(titles).toContain(t);
    for (const t of ['Data volume used', 'Redis up']) expect(titles).toContain(t);
  });

  it('queries only metrics the project exports', () => {
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    const named = new Set([...exprs.matchAll(/\b(nn_[a-z_]+)\b/g)].map((m) => m[1] ?? ''));
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((n) => !isExported(n))).toEqual([]);
  });
});

const exported = METRIC_SOURCES.map((p) => readFileSync(new URL(p, import.meta.url), 'utf8')).join('\n');
/** Named in a metrics source file, or one of prom-client's default metrics the API registers as nn_api_*. */
function isExported(name: string): boolean {
  if (exported.includes(`'${name}'`)) return true;
  const defaults = /collectDefaultMetrics\(\{[^}]*prefix: '(nn_[a-z_]+)'/.exec(exported)?.[1];
  return (
    defaults !== undefined &&
    /^(process|nodejs)_/.test(name.slice(defaults.length)) &&
    name.startsWith(defaults)
  );
}

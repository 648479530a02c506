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
    const exported = METRIC_SOURCES.map((p) => readFileSync(new URL(p, import.meta.url), 'utf8')).join('\n');
    const exprs = [...rules.matchAll(/^\s*expr: (.+)$/gm)].map((m) => m[1] ?? '').join('\n');
    const named = new Set([...exprs.matchAll(/\b(nn_[a-z_]+)\b/g)].map((m) => m[1] ?? ''));
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((n) => !exported.includes(`'${n}'`))).toEqual([]);
  });
});

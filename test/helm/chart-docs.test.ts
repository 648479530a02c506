import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helm } from './helm.js';
import { CHART_DIR } from './network-files.js';

// The chart's documentation and template language: the README's values table lists every value
// (and nothing else), the templates use only the documented part of Helm's language, and the install's
// NOTES render.

const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
const valuesSection = readme.slice(readme.indexOf('## Values'), readme.indexOf('## How it is tested'));

/** Paths of values.yaml down to a leaf, or to a map whose README row documents it as a whole. */
function valuePaths(value: unknown, at: string, documented: ReadonlySet<string>): string[] {
  if (documented.has(at) || value === null || typeof value !== 'object' || Array.isArray(value)) return [at];
  return Object.entries(value).flatMap(([k, v]) => valuePaths(v, at ? `${at}.${k}` : k, documented));
}

describe('the chart README', () => {
  const rows = new Set([...valuesSection.matchAll(/^\| `([A-Za-z0-9_.]+)` \|/gm)].map((m) => m[1] ?? ''));
  const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as Record<string, unknown>;

  it('documents every value of values.yaml, and no value that is not there', () => {
    const paths = valuePaths(values, '', rows);
    expect(paths.filter((p) => !rows.has(p))).toEqual([]);
    expect([...rows].filter((r) => !paths.includes(r))).toEqual([]);
  });

  it('and values.yaml comments each top-level value', () => {
    const text = readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8').split('\n');
    for (const key of Object.keys(values)) {
      const at = text.findIndex((l) => l.startsWith(`${key}:`));
      expect(text[at - 1] ?? '', key).toMatch(/^#/);
    }
  });
});

/** What the templates may use (the README's "Template language"); anything else fails this test. */
const ALLOWED = new Set([
  ...['define', 'include', 'if', 'else', 'end', 'range', 'with', 'eq', 'ne', 'and', 'or', 'not'],
  ...[
    'printf',
    'toYaml',
    'fromYaml',
    'toJson',
    'toPrettyJson',
    'nindent',
    'quote',
    'default',
    'required',
    'fail',
  ],
  ...[
    'ternary',
    'b64enc',
    'b64dec',
    'randAlphaNum',
    'lookup',
    'dict',
    'list',
    'set',
    'get',
    'hasKey',
    'merge',
  ],
  ...['append', 'add1', 'replace', 'upper', 'contains', 'trunc', 'trimSuffix', 'sha256sum', 'index'],
]);

describe('the template language', () => {
  it('is the documented subset: every function and keyword of every template is in the list', () => {
    const used = new Map<string, string>();
    for (const file of readdirSync(join(CHART_DIR, 'templates'))) {
      const text = readFileSync(join(CHART_DIR, 'templates', file), 'utf8');
      for (const m of text.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
        const action = (m[1] ?? '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/"(?:[^"\\]|\\.)*"/g, '""');
        for (const w of action.matchAll(/(?<![.$\w])([A-Za-z][A-Za-z0-9]*)/g))
          if (!['true', 'false', 'nil'].includes(w[1] ?? '')) used.set(w[1] ?? '', file);
      }
    }
    // The scan reads the actions: it finds the functions the chart is known to use.
    for (const w of ['lookup', 'randAlphaNum', 'fromYaml', 'include', 'range'])
      expect(used.has(w), w).toBe(true);
    const outside = [...used].filter(([w]) => !ALLOWED.has(w));
    expect(outside).toEqual([]);
    for (const w of ALLOWED) expect(readme, `README lists ${w}`).toContain(`\`${w}\``);
  });
});

describe('helm install --dry-run=client (no cluster)', () => {
  it('renders the NOTES: how to reach the API and add a chain; the devnet key flagged', () => {
    const dev = helm(['install', 'nn', CHART_DIR, '--dry-run=client', '-n', 'notary']);
    expect(dev.code, dev.stderr).toBe(0);
    const notes = dev.stdout.slice(dev.stdout.indexOf('NOTES:'));
    expect(notes).toContain('PUBLIC devnet key');
    expect(notes).toContain('port-forward svc/nn-api 7780:7780');
    expect(notes).toContain('chain add --file');
    const real = helm([
      ...['install', 'nn', CHART_DIR, '--dry-run=client', '-n', 'notary', '--set', 'network=kmdclassic'],
      ...['--set', `notary.pubkey=02${'b'.repeat(64)}`, '--set', 'notary.existingSecret=notary-key'],
    ]);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).not.toContain('PUBLIC devnet key');
    expect(real.stdout).not.toContain('nn-devnet-key');
  });

  it('refuses a hostile value before anything is rendered, naming the field', () => {
    const r = helm(['install', 'nn', CHART_DIR, '--dry-run=client', '--set', 'units.storage.kmd=-5Gi']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/at '\/units\/storage\/kmd'/);
    expect(r.stdout).toBe('');
  });
});

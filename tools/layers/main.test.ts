import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkspace, type FixtureWorkspace } from './fixture-workspace.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX = join(REPO, 'node_modules/.bin/tsx');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: REPO }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the layers command', () => {
  let ws: FixtureWorkspace;

  afterEach(() => ws?.remove());

  it('prints one line and exits 0 on a clean workspace, lists violations and exits 1 otherwise', async () => {
    ws = createFixtureWorkspace(['pkgs/*']);
    ws.writeLayers({
      layers: [
        { name: 'low', packages: ['@fx/low'] },
        { name: 'high', packages: ['@fx/high'] },
      ],
    });
    ws.writePackage('pkgs/low', { name: '@fx/low', files: { 'src/index.ts': 'export const low = 1;\n' } });
    ws.writePackage('pkgs/high', {
      name: '@fx/high',
      dependencies: ['@fx/low'],
      files: { 'src/index.ts': "export { low } from '@fx/low';\n" },
    });
    const clean = await run(TSX, [MAIN, ws.root]);
    expect(clean).toEqual({
      code: 0,
      stdout: 'layers: 2 packages in 2 layers, 1 import in 2 files, no violation\n',
      stderr: '',
    });

    ws.write('pkgs/low/src/up.ts', "import '@fx/high';\n");
    const dirty = await run(TSX, [MAIN, ws.root]);
    expect(dirty).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'layers: 2 violations of the order in layers.json:',
        '  pkgs/low/src/up.ts:1  @fx/low imports @fx/high, which pkgs/low/package.json does not list as a dependency  [undeclared-dependency]',
        '  pkgs/low/src/up.ts:1  @fx/low (low) imports @fx/high (high), a higher layer  [upward-import]',
        '',
      ].join('\n'),
    });
  });

  it('exits 2 naming the problem when layers.json is unusable', async () => {
    ws = createFixtureWorkspace(['pkgs/*']);
    ws.write('layers.json', '{ "layers": ');
    const result = await run(TSX, [MAIN, ws.root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^layers: layers\.json: cannot be read as JSON: /);
  });
});

// The done-when of issue 10: `pnpm check` (whose last step is `pnpm run layers`) fails on an upward
// import added to the real tree. The probe sits in the package's directory but outside src/, where
// tsc, dpdm and vitest do not look, so a typecheck running meanwhile cannot trip over it; its name is
// unique and git-ignored, and it is removed in `finally`, in afterAll, and (if a killed run left one)
// before the test.
describe('the real repository', () => {
  const PROBE_DIR = join(REPO, 'services/komodo-params');
  const PROBE_NAME = /^__layer_probe_[0-9a-f-]+__\.ts$/;
  const probe = join(PROBE_DIR, `__layer_probe_${randomUUID()}__.ts`);
  const removeProbe = (): void => rmSync(probe, { force: true });

  beforeAll(() => {
    // Only probes older than a test run's length: a younger one may belong to a run going on now.
    for (const name of readdirSync(PROBE_DIR).filter((n) => PROBE_NAME.test(n))) {
      const path = join(PROBE_DIR, name);
      if (Date.now() - statSync(path).mtimeMs > 10 * 60_000) rmSync(path, { force: true });
    }
  });

  afterAll(removeProbe);

  it('runs the layers check as the last step of `pnpm check`', () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts.check?.split(' && ').at(-1)).toBe('pnpm run layers');
  });

  it('fails `pnpm run layers` on an upward import added to a leaf package', async () => {
    const relProbe = probe.slice(REPO.length);
    try {
      writeFileSync(probe, "import '@nn/orchestrator-jobs';\n");
      const result = await run('pnpm', ['run', 'layers']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `  ${relProbe}:1  @nn/komodo-params (leaf) imports @nn/orchestrator-jobs (workflow), a higher layer  [upward-import]`,
      );
    } finally {
      removeProbe();
    }
  });
});

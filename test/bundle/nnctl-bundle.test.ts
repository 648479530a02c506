import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claim, REPO_ROOT, runProcess } from '@nn/testkit';
import { afterAll, describe, expect, it } from 'vitest';

// nnctl as one file plus Node (images/bundle.mjs, run by the e2e set-up's images/build.sh): copied alone
// into an empty directory outside the workspace, it answers --help and runs an API command; with the
// shipped network files beside it (what `up --network NAME` reads), its lazy import of up/ (bundled into
// the same file) still loads and checks the options.

const dir = mkdtempSync(join(tmpdir(), 'nnctl-alone-'));
claim({ kind: 'dir', path: dir });
const file = join(dir, 'nnctl.mjs');
copyFileSync(join(REPO_ROOT, 'dist', 'nnctl', 'nnctl.mjs'), file);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nnctl = (...args: string[]) =>
  runProcess(process.execPath, [file, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir },
    timeoutMs: 60_000,
  });

describe('the bundled nnctl, alone', () => {
  it('answers --help, reaches for the API, and loads up/ from inside the file', async () => {
    const help = await nnctl('--help');
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: nnctl/);
    const status = await nnctl('--api', 'http://127.0.0.1:1', 'status');
    expect(status.code).toBe(3);
    expect(status.stderr).toMatch(/cannot reach the orchestrator API/);
    cpSync(join(REPO_ROOT, 'dist', 'nnctl', 'networks'), join(dir, 'networks'), { recursive: true });
    const up = await nnctl('up', '--network', 'nope');
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(/--network: "nope" is not a shipped network/);
  });
});

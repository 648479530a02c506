import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, runProcess } from '@nn/testkit';
import { afterAll, describe, expect, it, vi } from 'vitest';

// `nnctl chain logs` refuses bad options itself, naming them, before it reaches for the API (here an
// address nothing listens on: a connection attempt would end in exit 3, not 2). Streaming a real unit's
// log is tested end to end in test/monitoring/prometheus.test.ts.

vi.setConfig({ testTimeout: 120_000 });

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nnctl-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function nnctl(...args: string[]) {
  const key = join(dir, 'operator.key');
  writeFileSync(key, 'operator-key-0123456789abcdef\n', { mode: 0o600 });
  const api = `http://127.0.0.1:${await freePort()}`;
  return runProcess(TSX, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', NN_API_URL: api, NN_API_KEY_FILE: key },
  });
}

describe('nnctl chain logs', () => {
  it('exits 2 naming --since or --tail when they are not a duration, a time or a count', async () => {
    const since = await nnctl('chain', 'logs', 'ccl', '--since', 'yesterday');
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since yesterday: must be a duration (90s, 10m, 1h30m) or a time');
    const tail = await nnctl('chain', 'logs', 'ccl', '--tail', '-3');
    expect(tail.code).toBe(2);
    expect(tail.stderr).toContain('--tail -3: must be a whole number of lines');
  });

  it('reaches for the API with good options (exit 3 when nothing answers)', async () => {
    const run = await nnctl('chain', 'logs', 'ccl', '--since', '10m', '--sidecar', '--follow');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('cannot reach the orchestrator API');
  });
});

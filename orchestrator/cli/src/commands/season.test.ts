import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ApiHarness,
  apiHarness,
  devnetSeason,
  nodeInput,
  nodeUnitsOf,
  OPERATOR_KEY,
} from '@nn/orchestrator-api/testing';
import { runProcess } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// `nnctl season apply` as a process against a real API (real Redis, real queue) whose node is recorded
// as a devnet's: a bad file is refused before any request (exit 2, its path and field), a season the
// orchestrator refuses exits 1 with the field, and --dry-run prints the plan and queues nothing.

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
const PUBKEY = `03${'cd'.repeat(32)}`;

let h: ApiHarness;
let api: string;
let dir: string;

beforeAll(async () => {
  h = await apiHarness({ notaryPubkey: PUBKEY });
  await h.state.nodeUnits.putDesired(nodeUnitsOf(devnetSeason()));
  await h.state.nodes.upsert(nodeInput('node-a', 20));
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  api = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'nnctl-season-'));
  writeFileSync(join(dir, 'operator.key'), `${OPERATOR_KEY}\n`, { mode: 0o600 });
});
afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const nnctl = (args: string[]) =>
  runProcess(TSX, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', NN_API_URL: api, NN_API_KEY_FILE: join(dir, 'operator.key') },
  });

function seasonFile(name: string, change: (n: ReturnType<typeof devnetSeason>) => void): string {
  const n = devnetSeason();
  change(n);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(n));
  return file;
}

describe('nnctl season apply', () => {
  it('prints the plan with --dry-run and queues nothing', async () => {
    const run = await nnctl(['season', 'apply', 'devnet', '--dry-run']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('season of devnet');
    expect(run.stdout).toContain('+ add     ccl (CCL, p2p 20848, rpc 20849)');
    expect(run.stdout).toContain('then Iguana restarts once');
    expect(await h.countJobs()).toBe(0);
  });

  it('refuses a file that fails the schema before asking the orchestrator (exit 2, file and field)', async () => {
    const file = seasonFile('bad.json', (n) => {
      n.iguana.p2p = 70_000;
    });
    const run = await nnctl(['season', 'apply', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}: iguana.p2p: must be a port number 1-65535`);
    expect(await h.countJobs()).toBe(0);
  });

  it("exits 1 with the field when the orchestrator refuses (this node's pubkey not elected)", async () => {
    const file = seasonFile('elected.json', (n) => {
      n.iguana.elected = {
        ...(n.iguana.elected as object),
        notaries: [{ other_NN: `02${'ab'.repeat(32)}` }],
      };
    });
    const run = await nnctl(['season', 'apply', file, '--wait']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `network.iguana.elected.notaries: does not list this node's notary pubkey ${PUBKEY}`,
    );
    expect(await h.countJobs()).toBe(0);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ApiHarness, apiHarness, OPERATOR_KEY, recordedNodeUnits } from '@nn/orchestrator-api/testing';
import { runProcess } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// `nnctl node wallet-reset` as a process against a real API, Redis and queue (no worker: what is
// checked is what the operator's shell sees of the API's answer, and what got queued).

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

let h: ApiHarness;
let api: string;
let dir: string;
let keyFile: string;

beforeAll(async () => {
  h = await apiHarness();
  await h.state.nodeUnits.putDesired(recordedNodeUnits());
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  api = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'nnctl-node-wallet-'));
  keyFile = join(dir, 'operator.key');
  writeFileSync(keyFile, `${OPERATOR_KEY}\n`, { mode: 0o600 });
});
afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const nnctl = (args: string[]) =>
  runProcess(TSX, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', NN_API_URL: api, NN_API_KEY_FILE: keyFile },
  });

describe('nnctl node wallet-reset', () => {
  it('refuses a word that names no node wallet (exit 2), nothing queued', async () => {
    const bad = await nnctl(['node', 'wallet-reset', 'bitcoin']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/target: not a node wallet: use main \(kmd, kmdcl\) or destination \(ltc\)/);
    expect(await h.countJobs()).toBe(0);
  });

  it('kmdcl is the main chain: one node.wallet-reset queued (--no-wait prints its id)', async () => {
    const before = await h.countJobs();
    const r = await nnctl(['--json', 'node', 'wallet-reset', 'KMDCL', '--no-wait']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({ name: 'node.wallet-reset', target: 'main' });
    expect(await h.countJobs()).toBe(before + 1);
  });

  it("ltc is the destination chain: refused (exit 1) while the main chain's reset waits, nothing queued", async () => {
    const before = await h.countJobs();
    const r = await nnctl(['node', 'wallet-reset', 'ltc', '--no-wait']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/target: a node.wallet-reset of the main chain is queued or running/);
    expect(await h.countJobs()).toBe(before);
  });
});

describe('nnctl node consolidate', () => {
  it('queues one node.consolidate of the main chain (kmd); a word naming no wallet exits 2', async () => {
    const before = await h.countJobs();
    const bad = await nnctl(['node', 'consolidate', 'doge']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/target: not a node wallet/);
    const r = await nnctl(['--json', 'node', 'consolidate', 'kmd', '--no-wait']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'node.consolidate', target: 'main' });
    expect(await h.countJobs()).toBe(before + 1);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ApiHarness,
  apiHarness,
  nodeInput,
  OPERATOR_KEY,
  season8Entries,
} from '@nn/orchestrator-api/testing';
import { specOf } from '@nn/orchestrator-state/testing';
import { runProcess } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// `nnctl node drain|undrain` as a process against a real API, Redis and queue (no worker: what is
// checked is what the operator's shell sees of the API's answer).

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

let h: ApiHarness;
let api: string;
let dir: string;
let keyFile: string;

beforeAll(async () => {
  h = await apiHarness();
  await h.state.nodes.upsert(nodeInput('e1', 2));
  await h.state.nodes.upsert(nodeInput('e2', 1));
  for (const i of [0, 1]) {
    const spec = specOf(season8Entries()[i]);
    await h.state.chains.create(spec);
    await h.state.placement.place(spec.id, [await h.state.nodes.get('e1')]);
  }
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  api = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'nnctl-drain-'));
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

describe('nnctl node drain / undrain', () => {
  it('refuses a drain that would strand a chain (exit 1, the reason), then drains once there is room', async () => {
    const refused = await nnctl(['node', 'drain', 'e1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cannot drain e1: \S+ has nowhere to go \(e2: memory/);
    expect(await h.countJobs()).toBe(0);

    await h.state.nodes.upsert(nodeInput('e2', 2));
    const queued = await nnctl(['--json', 'node', 'drain', 'e1', '--resync']);
    expect(queued.code).toBe(0);
    const body = JSON.parse(queued.stdout) as { jobId: string; mode: string; moves: { to: string }[] };
    expect(body.mode).toBe('resync');
    expect(body.moves.map((m) => m.to)).toEqual(['e2', 'e2']);
    expect((await h.queue.queue.getJob(body.jobId))?.name).toBe('node.drain');
  });

  it('undrains a cordoned node; an unknown node exits non-zero naming it', async () => {
    await h.state.nodes.upsert({ ...nodeInput('e2', 2), schedulable: false });
    const run = await nnctl(['node', 'undrain', 'e2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('node e2 is schedulable');
    expect((await h.state.nodes.get('e2')).schedulable).toBe(true);
    const unknown = await nnctl(['node', 'undrain', 'e9']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('e9');
  });
});

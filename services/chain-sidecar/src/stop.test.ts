import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@nn/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonCredentials } from './daemon/credentials.js';
import { DaemonRpc } from './daemon/rpc.js';
import { stopDaemon } from './stop.js';
import { type FakeNode, type FakeNodeState, startFakeNode } from './testing/fake-node.js';

const log = createLogger('test', { level: 'silent' });
let dir: string;
let node: FakeNode | undefined;
let rpc: DaemonRpc | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sidecar-stop-'));
});
afterEach(async () => {
  await rpc?.close();
  await node?.close();
  node = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function setup(state: Partial<FakeNodeState>): Promise<DaemonRpc> {
  node = await startFakeNode({ user: 'u', password: 'p-0123456789', state });
  const pw = join(dir, 'pw');
  writeFileSync(pw, 'p-0123456789', { mode: 0o600 });
  rpc = new DaemonRpc(new DaemonCredentials({ url: node.url, user: 'u', passwordFile: pw }), 2_000);
  return rpc;
}

describe('stopDaemon', () => {
  // komodod answers `stop`, then 503 to new requests while it shuts down (flushing its state), and only
  // then closes its port (komodod-rpc.md §1.1, §3): the 503 phase is not "stopped".
  it('waits through the 503 shut-down phase until the RPC port closes', async () => {
    const r = await setup({ shutdownMs: 1_500 });
    const started = Date.now();
    expect(await stopDaemon(r, 10, log)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(node?.methods[0]).toBe('stop');
    expect(node?.requests).toBeGreaterThan(1);
  });

  it('keeps asking while the daemon refuses stop with -28, then waits for it to exit', async () => {
    const r = await setup({ warmup: 'Loading wallet...' });
    setTimeout(() => {
      if (node) node.state.warmup = null;
    }, 700);
    expect(await stopDaemon(r, 10, log)).toBe(true);
    expect(node?.methods.filter((m) => m === 'stop').length).toBeGreaterThanOrEqual(2);
    await node?.closed;
  });

  it('returns true at once when the daemon is already down', async () => {
    const r = await setup({});
    await node?.close();
    const started = Date.now();
    expect(await stopDaemon(r, 10, log)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('gives up after the bound and says so', async () => {
    const r = await setup({ shutdownMs: 60_000 });
    const started = Date.now();
    expect(await stopDaemon(r, 1, log)).toBe(false);
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});

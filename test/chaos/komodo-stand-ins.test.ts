import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@nn/testkit';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type StatusRow, standInsNode } from '../docker/stand-ins-node.js';

// `nnctl up --network komodo --stand-ins` (see test/docker/networks-stand-ins.test.ts): the checkpoint
// era's layout, KMD and every assetchain of networks/komodo.json as full nodes, dPoW off, no Iguana unit.
// In the chaos run for its length (about three minutes for the network's assetchains); it publishes the
// network's real ports on this host, and the chaos run takes one file at a time.

vi.setConfig({ testTimeout: 900_000, hookTimeout: 900_000 });

const home = mkdtempSync(join(tmpdir(), 'nn-stand-ins-'));
const komodo = standInsNode(home, 'komodo', 'o');

afterAll(async () => {
  if (existsSync(join(home, komodo.name))) await komodo.down();
  rmSync(home, { recursive: true, force: true });
});

describe('nnctl up --network komodo --stand-ins', () => {
  it('leaves KMD and its assetchains synced as full nodes, dpow off, with no Iguana unit at all', async () => {
    const up = await komodo.up();
    expect(up.code, up.stderr).toBe(0);
    const rows = await eventually(
      async () => {
        const r = await komodo.status();
        // KMD's row is the node's own unit (status 'node unit', as nnctl status shows it), the rest chains.
        const up = (x: StatusRow) => (x.chain === 'KMD' ? x.status === 'node unit' : x.status === 'ready');
        // dPoW's state comes with the live status, which may trail the first heights by a poll.
        return r.length > 1 && r.every((x) => up(x) && (x.height ?? 0) > 0 && x.dpow !== null)
          ? r
          : undefined;
      },
      600_000,
      'KMD and every assetchain ready with a height',
    );
    expect(rows.map((r) => r.chain)).toContain('KMD');
    for (const r of rows) expect(r.dpow, r.chain).toBe('off');
    expect((await komodo.containers()).filter((c) => c.includes('iguana'))).toEqual([]);
  });
});

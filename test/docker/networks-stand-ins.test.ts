import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@nn/testkit';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type StatusRow, standInsNode } from './stand-ins-node.js';

// A real network's exact layout, run here: `nnctl up --network NAME --stand-ins` brings up the units the
// network file describes (command lines, data dirs, conf names, files, mounts, start-up order) with the
// stand-in images in place of the real ones, and a local elected file in place of the notary list.
// kmdclassic must notarise KMDCL (into LTC) and PIRATE (into KMDCL). komodo (KMD and its assetchains as
// full nodes, no Iguana unit) brings up every assetchain of the network and runs in `pnpm test:chaos`
// (test/chaos/komodo-stand-ins.test.ts): three minutes, longer than CI's budget allows.
//
// Waits for: the real unit layout in node-units and the jobs (the zcash params volume, assetchains in
// the network's data dir such as ~/.kmdclassic/PIRATE reading the main chain's conf there, the node
// without Iguana or without a destination), and the stand-ins accepting the real binaries' names,
// flags, data dirs and conf names. Until then `up` refuses with "the <network> unit layout is not built
// yet: ..." and creates nothing, and these tests fail on that message.

vi.setConfig({ testTimeout: 900_000, hookTimeout: 900_000 });

const home = mkdtempSync(join(tmpdir(), 'nn-stand-ins-'));

const kmdclassic = standInsNode(home, 'kmdclassic', 'k');

afterAll(async () => {
  if (existsSync(join(home, kmdclassic.name))) await kmdclassic.down();
  rmSync(home, { recursive: true, force: true });
});

describe('nnctl up --network kmdclassic --stand-ins', () => {
  // Both networks publish the same ports on this host (KMD's 7770, PIRATE's 45452): one node at a time.
  afterAll(async () => {
    if (existsSync(join(home, kmdclassic.name))) await kmdclassic.down();
  });

  it('runs the KMDCL layout and notarises: notarized rises on KMDCL and on PIRATE', async () => {
    const up = await kmdclassic.up();
    expect(up.code, up.stderr).toBe(0);
    const isMain = (r: StatusRow) => r.chain === 'KMDCL' || r.chain === 'KMD';
    const isPirate = (r: StatusRow) => r.chain.toUpperCase() === 'PIRATE';
    const first = await eventually(
      async () => {
        const rows = await kmdclassic.status();
        const main = rows.find(isMain)?.notarized ?? 0;
        const pirate = rows.find(isPirate)?.notarized ?? 0;
        return main > 0 && pirate > 0 ? { main, pirate } : undefined;
      },
      600_000,
      'a first notarisation of KMDCL and PIRATE',
    );
    await eventually(
      async () => {
        const rows = await kmdclassic.status();
        return (rows.find(isMain)?.notarized ?? 0) > first.main &&
          (rows.find(isPirate)?.notarized ?? 0) > first.pirate
          ? rows
          : undefined;
      },
      600_000,
      'notarized to rise again on KMDCL and PIRATE',
    );
    expect((await kmdclassic.containers()).some((c) => c.includes('iguana'))).toBe(true);
  });
});

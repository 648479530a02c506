import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claim, eventually, REPO_ROOT, runId, runProcess } from '@nn/testkit';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { docker } from '../helpers/docker.js';

// A real network's exact layout, run here: `nnctl up --network NAME --stand-ins` brings up the units the
// network file describes (command lines, data dirs, conf names, files, mounts, start-up order) with the
// stand-in images in place of the real ones, and a local elected file in place of the notary list.
// kmdclassic must notarise KMDCL (into LTC) and PIRATE (into KMDCL); komodo must leave KMD and its
// assetchains synced as full nodes with no Iguana unit at all.
//
// Waits for: the real unit layout in node-units and the jobs (the zcash params volume, assetchains in
// the network's data dir such as ~/.kmdclassic/PIRATE reading the main chain's conf there, the node
// without Iguana or without a destination), and the stand-ins accepting the real binaries' names,
// flags, data dirs and conf names. Until then `up` refuses with "the <network> unit layout is not built
// yet: ..." and creates nothing, and these tests fail on that message.

vi.setConfig({ testTimeout: 900_000, hookTimeout: 900_000 });

const home = mkdtempSync(join(tmpdir(), 'nn-stand-ins-'));

interface StatusRow {
  chain: string;
  height: number | null;
  notarized: number | null;
  dpow: string | null;
  status: string;
}

function node(network: string, letter: string) {
  const name = `${letter}${runId()}${randomBytes(1).toString('hex')}`;
  claim({ kind: 'devnet', root: home, name });
  const apiPort = 30_000 + Math.floor(Math.random() * 9_000);
  const sidecarFrom = 62_000 + Math.floor(Math.random() * 30) * 100;
  const env = { ...process.env, NN_HOME: home, NN_API_KEY_FILE: join(home, name, 'api-keys.json') };
  const nnctl = (args: string[], timeoutMs = 840_000) =>
    runProcess(
      process.execPath,
      ['--import', 'tsx', 'orchestrator/cli/src/main.ts', '--api', `http://127.0.0.1:${apiPort}`, ...args],
      { cwd: REPO_ROOT, env, timeoutMs, track: true },
    );
  return {
    name,
    up: () =>
      nnctl([
        'up',
        '--network',
        network,
        '--stand-ins',
        '--name',
        name,
        '--api-port',
        String(apiPort),
        '--sidecar-ports',
        `${sidecarFrom}-${sidecarFrom + 99}`,
      ]),
    down: () => nnctl(['down', '--name', name, '--volumes']),
    async status(): Promise<StatusRow[]> {
      const r = await nnctl(['--json', 'status'], 60_000);
      if (r.code !== 0) throw new Error(`nnctl status: ${r.stderr}`);
      return (JSON.parse(r.stdout) as { chains: StatusRow[] }).chains;
    },
    async containers(): Promise<string[]> {
      return (await docker.listContainers({ all: true }))
        .map((c) => c.Names[0]?.replace(/^\//, '') ?? '')
        .filter((n) => n.startsWith(`${name}-`))
        .sort();
    },
  };
}

const kmdclassic = node('kmdclassic', 'k');
const komodo = node('komodo', 'o');

afterAll(async () => {
  for (const n of [kmdclassic, komodo]) if (existsSync(join(home, n.name))) await n.down();
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

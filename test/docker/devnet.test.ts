import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, type ProcessRun } from '@nn/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { docker } from '../helpers/docker.js';
import { testNode } from '../helpers/test-node.js';

// README's main job on the real engine: deploy/devnet/up.sh (bootstrap skipped: CI did it) is `nnctl up
// --network devnet`, here under its own name, home, API port and sidecar ports so it runs beside other
// test files. It must leave a notarising notary node: KMD and every assetchain with `notarized` rising
// in `nnctl status`; running it again changes nothing; down --volumes removes everything it made.

vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const node = testNode('up');
const { name, home, apiPort, run } = node;
const up = () => node.upScript();
const nnctl = (...args: string[]) => node.nnctl(args);

interface StatusRow {
  chain: string;
  height: number | null;
  notarized: number | null;
  notaryUtxos: number | null;
  dpow: string | null;
  balance: number | null;
  walletBytes: number | null;
  status: string;
}
async function status(): Promise<StatusRow[]> {
  const r = await nnctl('--json', 'status');
  if (r.code !== 0) throw new Error(`nnctl status: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { chains: StatusRow[] }).chains;
}

async function ours() {
  const label = { label: [`nn.managed-by=notary-control-plane`] };
  const containers = (await docker.listContainers({ all: true, filters: label }))
    .map((c) => c.Names[0]?.replace(/^\//, '') ?? '')
    .filter((n) => n.startsWith(`${name}-`));
  const volumes = ((await docker.listVolumes({ filters: label })).Volumes ?? [])
    .map((v) => v.Name)
    .filter((n) => n.startsWith(`${name}-`));
  const networks = (await docker.listNetworks({ filters: { name: [`nn-${name}`] } })).map((n) => n.Name);
  return { containers: containers.sort(), volumes: volumes.sort(), networks };
}

let first: ProcessRun;
beforeAll(async () => {
  first = await up();
  if (first.code !== 0) throw new Error(`up.sh failed (${first.code}):\n${first.stdout}\n${first.stderr}`);
});

afterAll(() => node.remove());

describe('deploy/devnet/up.sh: a devnet notary node in one command', () => {
  it('reports each component and each chain, then a summary with the API, the key file and the chains', () => {
    for (const unit of ['ltc', 'kmd', 'iguana'])
      expect(first.stderr).toMatch(new RegExp(`${name}-${unit}\\s+ready`));
    expect(first.stderr).toMatch(/funding\s+LTC \d+ \/ KMD \d+ blocks \(mined to maturity\)/);
    expect(first.stderr).toMatch(
      /orchestrator\s+http:\/\/127\.0\.0\.1:\d+ \(container [0-9a-f]{12}, created\)/,
    );
    expect(first.stderr).toMatch(/chains\s+queued (ccl|iln|koin), (ccl|iln|koin), (ccl|iln|koin)\n/);
    expect(first.stdout).toContain(`notary node "${name}" (devnet) is up`);
    expect(first.stdout).toContain(`API       http://127.0.0.1:${apiPort}`);
    expect(first.stdout).toContain(`key file  ${join(home, name, 'api-keys.json')}`);
    expect(first.stdout).toMatch(/\nccl\s+local\s+\d+\s+yes\s/);
  });

  it('leaves the orchestrator running as a container, managed like a unit, and no process of ours on the host', async () => {
    const c = await docker.getContainer(`${name}-orchestrator`).inspect();
    expect(c.Config.Image).toBe('nn/orchestrator:0.1.0');
    expect(c.Config.Labels).toMatchObject({
      'nn.managed-by': 'notary-control-plane',
      'nn.unit': `${name}-orchestrator`,
      'nn.role': 'control',
      'nn.instance': name,
    });
    expect(c.HostConfig.RestartPolicy?.Name).toBe('always');
    expect(c.HostConfig.LogConfig).toEqual({
      Type: 'json-file',
      Config: { 'max-size': '20m', 'max-file': '10' },
    });
    expect((c.Config as { StopTimeout?: number }).StopTimeout).toBe(120);
    expect(c.HostConfig.Binds).toContain(`${join(home, name)}:${join(home, name)}`);
    // Every process whose command line names the node's config file is in a container's pid namespace
    // (the orchestrator's own), none on the host's: up.sh and nnctl have exited and left nothing behind.
    const config = join(home, name, 'orchestrator.json');
    const ownNs = readlinkSync('/proc/self/ns/pid');
    const named = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .flatMap((pid) => {
        try {
          const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
          return cmdline.includes(config)
            ? [{ pid: Number(pid), ns: readlinkSync(`/proc/${pid}/ns/pid`), cmdline }]
            : [];
        } catch {
          return []; // gone meanwhile
        }
      });
    expect(named.map((p) => p.pid)).toContain(c.State.Pid);
    expect(named.filter((p) => p.ns === ownNs)).toEqual([]);
    await eventually(
      async () =>
        (await docker.getContainer(c.Id).inspect()).State.Health?.Status === 'healthy' ? true : undefined,
      120_000,
      'the orchestrator container to be healthy',
    );
  });

  it('notarises: nnctl status shows notarized rising on KMD and every assetchain, all active in Iguana', async () => {
    const chains = ['KMD', 'ccl', 'iln', 'koin'];
    const firstSeen = await eventually(
      async () => {
        const rows = await status();
        return chains.every((c) => (rows.find((r) => r.chain === c)?.notarized ?? 0) > 0)
          ? Object.fromEntries(rows.map((r) => [r.chain, r.notarized ?? 0]))
          : undefined;
      },
      300_000,
      'a first notarisation of KMD and every assetchain',
    );
    const later = await eventually(
      async () => {
        const rows = await status();
        return chains.every((c) => (rows.find((r) => r.chain === c)?.notarized ?? 0) > (firstSeen[c] ?? 0))
          ? rows
          : undefined;
      },
      300_000,
      'notarized to rise again',
    );
    for (const c of chains) expect(later.find((r) => r.chain === c)?.dpow, c).toBe('active');
    // The destination's row too (up wired its sidecar into the workers' config): the LTC funding mined
    // to the notary, and litecoind's wallet.dat measured (where 0.21 keeps it: .litecoin/wallets/ or, in
    // a data dir that held the conf first, .litecoin/).
    const ltc = later.find((r) => r.chain === 'LTC');
    expect(ltc?.status).toBe('node unit');
    expect(ltc?.height).toBeGreaterThan(0);
    expect(ltc?.balance).toBeGreaterThan(0);
    expect(ltc?.walletBytes).toBeGreaterThan(0);
  });

  it('changes nothing when run again', async () => {
    const ids = async () =>
      (await docker.listContainers({ all: true }))
        .filter((c) => c.Names[0]?.startsWith(`/${name}-`))
        .map((c) => c.Id)
        .sort();
    const before = await ids();
    const again = await up();
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/orchestrator\s+\S+ \(container [0-9a-f]{12}, running\)/);
    expect(again.stderr).toMatch(/chains\s+all 3 present/);
    expect(again.stderr).toMatch(/funding\s+LTC \d+ \/ KMD \d+ blocks \(already funded\)/);
    expect(await ids()).toEqual(before);
  });

  it('refuses what it cannot do, before making anything', async () => {
    const before = await ours();
    const bad = await run('bash', ['deploy/devnet/up.sh', '--skip-bootstrap', '--name', '../etc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--name \.\.\/etc: must be 1-12 of a-z 0-9/);
    const testnet = await nnctl('up', '--network', 'testnet-2024', '--name', `${name}x`);
    expect(testnet.code).toBe(1);
    expect(testnet.stderr).toMatch(
      /--network testnet-2024 cannot start here:\n[\s\S]*\s+- image nn\/komodod:hfnet-2024: the real daemon from KomodoPlatform\/komodo at 52c01222c85a7b11f0c301feee8aca91cbf92a5d \(patch-s8-prepare-hf-test\)/,
    );
    expect(testnet.stderr).toMatch(
      /the testnet-2024 notary passphrase: put it in .*secrets\/node\/passphrase/,
    );
    expect(existsSync(join(home, `${name}x`))).toBe(false);
    expect(await ours()).toEqual(before);
  });

  it('is removed whole by down.sh --volumes: units, volumes, network, state keys, home', async () => {
    const down = await run('bash', ['deploy/devnet/down.sh', '--name', name, '--volumes']);
    expect(down.code, down.stderr).toBe(0);
    expect(await ours()).toEqual({ containers: [], volumes: [], networks: [] });
    expect(existsSync(join(home, name))).toBe(false);
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.keys(`nn:${name}:*`)).toEqual([]);
      expect(await redis.keys(`nn-${name}:*`)).toEqual([]);
    } finally {
      await redis.quit();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, REPO_ROOT } from '../helpers/devchain-process.js';
import { docker, execIn, labelled, removeProject } from '../helpers/docker.js';

// README's main job (deploy/devnet/up.sh) on the real engine: KMD, CCL sharing KMD's namespace and
// ~/.komodo, and a second CCL instance peering with the first over the devnet's bridge network.
const project = `nn-e2e-${randomBytes(3).toString('hex')}`;
const CCL = ['-ac_name=CCL', '-ac_supply=200000000', '-ac_end=1', '-ac_cc=2'];

function script(name: string, ...args: string[]) {
  return spawnSync('bash', [join(REPO_ROOT, 'deploy', 'devnet', name), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
}

async function rpc<T>(container: string, flags: string[], method: string, ...params: string[]): Promise<T> {
  const r = await execIn(container, ['node', '/app/devchain-cli.mjs', ...flags, method, ...params]);
  if (r.exitCode !== 0) throw new Error(`${container} ${method}: ${r.stderr}`);
  // Like komodo-cli, devchain-cli prints strings bare and everything else as JSON.
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    return r.stdout.trim() as T;
  }
}

beforeAll(() => {
  const up = script('up.sh', '--skip-bootstrap', '--project', project, '--block-time', '1');
  if (up.status !== 0) throw new Error(`up.sh failed (${up.status}):\n${up.stdout}\n${up.stderr}`);
});

afterAll(async () => {
  await removeProject(project);
});

describe('devnet of devchain containers', () => {
  it('labels everything it made as the project’s own', async () => {
    const made = await labelled(project);
    expect(made.containers).toHaveLength(3);
    expect(made.volumes).toHaveLength(2);
    expect(made.networks).toHaveLength(1);
  });

  it('shows KMDnotarized_height on the assetchain, read from the KMD devchain through the parent komodo.conf', async () => {
    const seen = await eventually(
      async () => {
        const kmd = await rpc<number>(`${project}-kmd`, [], 'getblockcount');
        const info = await rpc<{ KMDnotarized_height: number }>(`${project}-ccl`, CCL, 'getinfo');
        return kmd >= 3 && Math.abs(info.KMDnotarized_height - kmd) <= 2
          ? info.KMDnotarized_height
          : undefined;
      },
      60_000,
      'CCL to report KMD’s height',
    );
    expect(seen).toBeGreaterThanOrEqual(1);
    // The peer CCL has no KMD beside it: komodod then reports 0, and so does devchain.
    const lonely = await rpc<{ KMDnotarized_height: number }>(`${project}-ccl-peer`, CCL, 'getinfo');
    expect(lonely.KMDnotarized_height).toBe(0);
  });

  it('has two CCL instances that are peers and agree on the chain', async () => {
    const agreed = await eventually(
      async () => {
        const [a, b] = await Promise.all([
          rpc<string>(`${project}-ccl`, CCL, 'getbestblockhash'),
          rpc<string>(`${project}-ccl-peer`, CCL, 'getbestblockhash'),
        ]);
        return a === b ? a : undefined;
      },
      60_000,
      'both CCL instances to have the same best block',
    );
    expect(agreed).toMatch(/^[0-9a-f]{64}$/);
    const peers = await rpc<Array<{ addr: string }>>(`${project}-ccl-peer`, CCL, 'getpeerinfo');
    expect(peers.map((p) => p.addr)).toContain(`${project}-kmd:20848`);
    const ccl = await rpc<{ connections: number; p2pport: number; rpcport: number }>(
      `${project}-ccl`,
      CCL,
      'getinfo',
    );
    expect(ccl.connections).toBeGreaterThanOrEqual(1);
    expect([ccl.p2pport, ccl.rpcport]).toEqual([20848, 20849]);
  });

  it('runs as a non-root user and reports healthy through the image HEALTHCHECK', async () => {
    const id = await execIn(`${project}-kmd`, ['id', '-u']);
    expect(id.stdout.trim()).toBe('10001');
    const health = await eventually(
      async () => {
        const state = (await docker.getContainer(`${project}-ccl`).inspect()).State.Health?.Status;
        return state === 'healthy' ? state : undefined;
      },
      60_000,
      'the CCL container to be healthy',
    );
    expect(health).toBe('healthy');
  });

  it('changes nothing when run again', async () => {
    const before = (await labelled(project)).containers.sort();
    const again = script('up.sh', '--skip-bootstrap', '--project', project, '--block-time', '1');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('already running');
    expect((await labelled(project)).containers.sort()).toEqual(before);
  });

  it('is removed whole by down.sh --volumes', async () => {
    const down = script('down.sh', '--project', project, '--volumes');
    expect(down.status, down.stderr).toBe(0);
    expect(await labelled(project)).toEqual({ containers: [], volumes: [], networks: [] });
  });
});

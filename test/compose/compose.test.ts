import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claim, eventually, freePorts, REPO_ROOT, removeDocker, runId, runProcess } from '@nn/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { docker } from '../helpers/docker.js';

// deploy/compose/compose.yml with a real Compose (Debian's docker-compose 1.29, installed by .ci/run):
// Redis, the API and the worker come up from the project's images under a project name of this run's
// own, the bundled nnctl (one file run outside the workspace) adds a chain through the API and the
// worker brings it to ready, and `down -v` removes the stack. The units the worker made are removed
// through the API first, and by name prefix should anything be left.

vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const COMPOSE = join(REPO_ROOT, 'deploy', 'compose', 'compose.yml');
const NNCTL = join(REPO_ROOT, 'dist', 'nnctl', 'nnctl.mjs');
// The compose file names units <NN_NAME>-c-*, the cluster network nn-<NN_NAME>, and compose names
// its containers and volumes <project>_*: one name for both, claimed before anything is made.
const project = `nc${runId()}${randomBytes(1).toString('hex')}`;
claim({ kind: 'docker', prefix: project });
claim({ kind: 'docker', prefix: `nn-${project}` });
const dir = mkdtempSync(join(tmpdir(), 'nn-compose-'));
claim({ kind: 'dir', path: dir });
const ports = await freePorts('api', 'redis');
const api = `http://127.0.0.1:${ports.api}`;
const operator = randomBytes(24).toString('hex');
const keysFile = join(dir, 'api-keys.json');
writeFileSync(keysFile, JSON.stringify({ viewer: [], operator: [operator] }), { mode: 0o600 });
// The image's user reads it; mode 600 stays.
chownSync(keysFile, 10001, 10001);

const ENV = {
  ...process.env,
  NN_NAME: project,
  NN_API_PORT: String(ports.api),
  NN_REDIS_PORT: String(ports.redis),
  NN_KEYS_FILE: keysFile,
  NN_DOCKER_GID: String(statSync('/var/run/docker.sock').gid),
};
const compose = (args: string[], env: NodeJS.ProcessEnv = ENV) =>
  runProcess('docker-compose', ['-f', COMPOSE, '-p', project, ...args], {
    cwd: REPO_ROOT,
    env,
    timeoutMs: 300_000,
  });
// Run from a directory outside the workspace: node and the one file are all it needs.
const nnctl = (...args: string[]) =>
  runProcess(process.execPath, [NNCTL, '--api', api, '--key-file', keysFile, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
    timeoutMs: 420_000,
  });

const acName = `CMP${randomBytes(2).toString('hex').toUpperCase()}`;
let chainId: string | undefined;

beforeAll(async () => {
  const up = await compose(['up', '-d']);
  if (up.code !== 0) throw new Error(`docker-compose up failed (${up.code}):\n${up.stdout}\n${up.stderr}`);
});

afterAll(async () => {
  // Whatever the chain's removal does, the stack goes, and then anything left under this run's names.
  if (chainId !== undefined) await nnctl('chain', 'rm', chainId).catch(() => undefined);
  const down = await compose(['down', '-v', '--timeout', '60']);
  await removeDocker({ prefix: `${project}-` });
  await removeDocker({ prefix: `nn-${project}` });
  rmSync(dir, { recursive: true, force: true });
  expect(down.code, down.stderr).toBe(0);
});

const services = async () =>
  docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });

describe('deploy/compose: the control plane under docker-compose', () => {
  it('runs Redis, the API and the worker: restarted unless stopped, logs bounded, Redis with AOF and noeviction', async () => {
    await eventually(
      async () => {
        try {
          const res = await fetch(`${api}/healthz`);
          return res.status === 200 && ((await res.json()) as { redis?: string }).redis === 'up'
            ? true
            : undefined;
        } catch {
          return undefined;
        }
      },
      180_000,
      'the API to answer with Redis up',
    );
    const running = await services();
    expect(running.map((c) => c.Labels['com.docker.compose.service']).sort()).toEqual([
      'api',
      'redis',
      'worker',
    ]);
    for (const c of running) {
      const info = await docker.getContainer(c.Id).inspect();
      expect(info.State.Running, c.Names[0]).toBe(true);
      expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
      expect(info.HostConfig.LogConfig).toEqual({
        Type: 'json-file',
        Config: { 'max-size': '20m', 'max-file': '10' },
      });
      expect(info.Config.User).toBe('10001:10001');
    }
    const redis = new Redis(`redis://127.0.0.1:${ports.redis}`, { maxRetriesPerRequest: 2 });
    try {
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    } finally {
      redis.disconnect();
    }
    const apiContainer = running.find((c) => c.Labels['com.docker.compose.service'] === 'api');
    await eventually(
      async () =>
        (await docker.getContainer(apiContainer?.Id ?? '').inspect()).State.Health?.Status === 'healthy'
          ? true
          : undefined,
      120_000,
      'the API container to be healthy',
    );
  });

  it('accepts a chain add through the API (the bundled nnctl) and the worker brings the chain to ready', async () => {
    const add = await nnctl('--json', 'chain', 'add', acName, '--param', 'ac_supply=1000000');
    expect(add.code, `${add.stdout}\n${add.stderr}`).toBe(0);
    const ls = await nnctl('--json', 'chain', 'ls');
    expect(ls.code, ls.stderr).toBe(0);
    const chains = (
      JSON.parse(ls.stdout) as { chains: Array<{ id: string; acName: string; status: string }> }
    ).chains;
    const chain = chains.find((c) => c.acName === acName);
    chainId = chain?.id;
    expect(chain?.status).toBe('ready');
    const units = await docker.listContainers({ filters: { name: [`${project}-c-`] } });
    expect(units.length).toBeGreaterThan(0);
  });

  it('stops the orchestrator with exit 2 naming the variable when a compose variable makes a bad value', async () => {
    // A project of its own: Compose 1.29's `run` links the running services in, which host networking
    // refuses. Its volumes go with `down -v`.
    const other = (args: string[]) =>
      runProcess('docker-compose', ['-f', COMPOSE, '-p', `${project}bad`, ...args], {
        cwd: REPO_ROOT,
        env: { ...ENV, NN_API_PORT: 'port' },
        timeoutMs: 300_000,
      });
    const bad = await other(['run', '--rm', '--no-deps', '-T', 'api']);
    expect((await other(['down', '-v'])).code).toBe(0);
    expect(bad.code, `${bad.stdout}\n${bad.stderr}`).toBe(2);
    expect(`${bad.stdout}${bad.stderr}`).toContain('nn-orchestrator: NN_API_LISTEN: must be host:port');
  });

  it('is removed by down -v once its chain is removed through the API: containers, volumes', async () => {
    if (chainId !== undefined) {
      const rm = await nnctl('chain', 'rm', chainId);
      expect(rm.code, rm.stderr).toBe(0);
      chainId = undefined;
    }
    const down = await compose(['down', '-v', '--timeout', '60']);
    expect(down.code, down.stderr).toBe(0);
    expect(await services()).toEqual([]);
    const volumes = ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name);
    expect(volumes.filter((v) => v.startsWith(`${project}_`))).toEqual([]);
    expect(await docker.listContainers({ all: true, filters: { name: [`${project}-c-`] } })).toEqual([]);
  });
});

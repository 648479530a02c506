import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// nn-orchestrator as a process: a bad command line or config ends with exit 2 and the reason, before
// anything connects to Redis or Docker.

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nn-app-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', timeout: 60_000 });

const ok = join(dir, 'ok.json');
// Each run is a tsx process loading the orchestrator's whole module graph: seconds each on a loaded machine.
const SLOW = { timeout: 120_000 };

describe('nn-orchestrator', () => {
  it('exits 2 naming the problem for a missing file, a bad field or an unknown role', SLOW, () => {
    const missing = run('--config', join(dir, 'none.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nn-orchestrator: config: cannot read .*none\.json/);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ nodes: [], jobs: {} }));
    const badRun = run('--config', bad);
    expect(badRun.status).toBe(2);
    expect(badRun.stderr).toMatch(/config\.nodes: at least one node is needed/);

    writeFileSync(
      ok,
      JSON.stringify({
        nodes: [
          {
            name: 'local',
            capacity: {
              memoryBytes: 2 ** 33,
              diskBytes: 2 ** 40,
              p2pPorts: { from: 1024, to: 59_999 },
              sidecarPorts: { from: 60_000, to: 60_099 },
            },
          },
        ],
        roles: ['worker'],
        jobs: { secretsDir: join(dir, 'secrets') },
      }),
    );
    const role = run('--config', ok, '--role', 'worker,admin');
    expect(role.status).toBe(2);
    expect(role.stderr).toMatch(/--role: "admin" is not one of api, worker/);
    const api = run('--config', ok, '--role', 'api');
    expect(api.status).toBe(2);
    expect(api.stderr).toMatch(/--role api: the config has no "api" section/);
    expect(run('--help').status).toBe(0);
  });

  it('exits 2 naming the variable for a bad NN_* override, before anything connects', SLOW, () => {
    // Redis answers nowhere: a run that got as far as connecting would not end with 2.
    const env = (vars: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--config', ok], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NN_REDIS_URL: 'redis://127.0.0.1:1', ...vars },
      });
    const override = env({ NN_ROLES: 'worker,admin' });
    expect(override.status).toBe(2);
    expect(override.stderr).toMatch(/^nn-orchestrator: NN_ROLES(\[1\])?: /m);
    const listen = env({ NN_ROLES: 'api', NN_API_LISTEN: 'anywhere', NN_API_KEYS_FILE: '/k.json' });
    expect(listen.status).toBe(2);
    expect(listen.stderr).toBe('nn-orchestrator: NN_API_LISTEN: must be host:port\n');
  });
});

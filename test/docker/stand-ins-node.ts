import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { claim, REPO_ROOT, runId, runProcess } from '@nn/testkit';
import { docker } from '../helpers/docker.js';

// A node of a real network brought up with its stand-ins by `nnctl up --network NAME --stand-ins` in a
// home of the test's own (networks-stand-ins.test.ts; test/chaos/komodo-stand-ins.test.ts).

export interface StatusRow {
  chain: string;
  height: number | null;
  notarized: number | null;
  dpow: string | null;
  status: string;
}

export function standInsNode(home: string, network: string, letter: string) {
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

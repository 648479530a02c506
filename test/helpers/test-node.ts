import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claim, type ProcessRun, REPO_ROOT, runId, runProcess } from '@nn/testkit';

/**
 * A whole notary node of this test run, as an operator brings one up (deploy/devnet/up.sh, or `nnctl up
 * --network ...`), under its own name, home, API port and sidecar ports so it never meets another
 * file's node. The name carries the run's id: its queue prefix (nn-<name>) and state prefix
 * (nn:<name>:) are this run's own, so an orchestrator left by an earlier, killed run never takes its
 * jobs. It is claimed before anything is made, so the next run's clean-up finds what a killed run left.
 */
export interface TestNode {
  readonly name: string;
  readonly home: string;
  readonly apiPort: number;
  /** The node's API key file (nnctl reads it through NN_API_KEY_FILE). */
  readonly keyFile: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs a command in the repository with the node's environment, tracked by the run. */
  run(cmd: string, args: readonly string[], timeoutMs?: number): Promise<ProcessRun>;
  /** nnctl (under tsx) against the node's API. */
  nnctl(args: readonly string[], timeoutMs?: number): Promise<ProcessRun>;
  /** The options that give `up` this node's name, API port and sidecar ports. */
  readonly upOptions: readonly string[];
  /** README's main job: deploy/devnet/up.sh (bootstrap skipped: CI did it) with the node's options. */
  upScript(): Promise<ProcessRun>;
  /** down.sh --volumes if the node's home still exists, then the temporary home. */
  remove(): Promise<void>;
}

export function testNode(tag: string): TestNode {
  const name = `t${runId()}${randomBytes(1).toString('hex')}`;
  const home = mkdtempSync(join(tmpdir(), `nn-${tag}-`));
  claim({ kind: 'devnet', root: home, name });
  const apiPort = 30_000 + Math.floor(Math.random() * 9_000);
  const sidecarFrom = 62_000 + Math.floor(Math.random() * 30) * 100;
  const keyFile = join(home, name, 'api-keys.json');
  const env = { ...process.env, NN_HOME: home, NN_API_KEY_FILE: keyFile };
  const run = (cmd: string, args: readonly string[], timeoutMs = 540_000) =>
    runProcess(cmd, [...args], { cwd: REPO_ROOT, env, timeoutMs, track: true });
  const upOptions = [
    '--name',
    name,
    '--api-port',
    String(apiPort),
    '--sidecar-ports',
    `${sidecarFrom}-${sidecarFrom + 99}`,
  ];
  return {
    name,
    home,
    apiPort,
    keyFile,
    env,
    run,
    upOptions,
    nnctl: (args, timeoutMs = 540_000) =>
      run(
        process.execPath,
        ['--import', 'tsx', 'orchestrator/cli/src/main.ts', '--api', `http://127.0.0.1:${apiPort}`, ...args],
        timeoutMs,
      ),
    upScript: () => run('bash', ['deploy/devnet/up.sh', '--skip-bootstrap', ...upOptions]),
    async remove() {
      if (existsSync(join(home, name)))
        await run('bash', ['deploy/devnet/down.sh', '--name', name, '--volumes']);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

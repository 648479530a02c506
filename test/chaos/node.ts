import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  claim,
  type ProcessRun,
  REPO_ROOT,
  runId,
  runProcess,
  type StartedProcess,
  startProcess,
} from '@nn/testkit';
import type { ChaosEngine } from './engine.js';

// A devnet notary node as an operator brings it up, `nnctl up --network devnet`, but inside a chaos
// engine's network namespace: nnctl, the orchestrator and Redis containers (host network = the
// namespace's) and the units' published ports all live on that namespace's loopback, so the node's fixed
// ports (KMD 7770, CCL 20848 ...) never meet another test's, and Redis is the node's own container on
// 6379 there (up starts it: nothing answers on the namespace's 127.0.0.1:6379). The test reaches the API
// through a forwarder on the namespace's bridge address.

const NNCTL = ['--import', 'tsx', join(REPO_ROOT, 'orchestrator/cli/src/main.ts')];
export const API_PORT = 7780;

export interface ChaosNode {
  readonly name: string;
  readonly home: string;
  readonly apiUrl: string;
  readonly keyFile: string;
  /** `nnctl up --network devnet` in the engine's namespace. */
  up(timeoutMs?: number): Promise<ProcessRun>;
  /** nnctl in the host's namespace against the node's API (through the forwarder). */
  nnctl(args: readonly string[], timeoutMs?: number): Promise<ProcessRun>;
  close(): Promise<void>;
}

export function chaosNode(engines: ChaosEngine, i = 1): ChaosNode {
  const e = engines.engine(i);
  const name = `x${runId().slice(0, 6)}${randomBytes(1).toString('hex')}`.slice(0, 12);
  const home = mkdtempSync(join(tmpdir(), 'nn-chaos-'));
  claim({ kind: 'dir', path: home });
  const keyFile = join(home, name, 'api-keys.json');
  const apiUrl = `http://${e.address}:${API_PORT}`;
  let forwarder: StartedProcess | undefined;
  const env = { ...process.env, NN_HOME: home, DOCKER_HOST: `unix://${e.socket}`, NN_API_KEY_FILE: keyFile };
  const startForwarder = async () => {
    const f = startProcess(
      'ip',
      [
        'netns',
        'exec',
        e.netns,
        process.execPath,
        join(import.meta.dirname, 'forward.mjs'),
        e.address,
        String(API_PORT),
      ],
      { cwd: REPO_ROOT },
    );
    const deadline = Date.now() + 10_000;
    while (!f.output().includes('forwarding')) {
      if (f.proc.exitCode !== null || Date.now() > deadline)
        throw new Error(`forwarder did not start: ${f.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    forwarder = f;
  };
  return {
    name,
    home,
    apiUrl,
    keyFile,
    async up(timeoutMs = 480_000) {
      const run = await runProcess(
        'ip',
        [
          'netns',
          'exec',
          e.netns,
          'env',
          `NN_HOME=${home}`,
          `DOCKER_HOST=unix://${e.socket}`,
          process.execPath,
          ...NNCTL,
          'up',
          '--network',
          'devnet',
          '--name',
          name,
          '--api-port',
          String(API_PORT),
        ],
        { cwd: REPO_ROOT, env, timeoutMs, track: true },
      );
      if (!forwarder) await startForwarder();
      return run;
    },
    nnctl: (args, timeoutMs = 120_000) =>
      runProcess(process.execPath, [...NNCTL, '--api', apiUrl, ...args], { cwd: REPO_ROOT, env, timeoutMs }),
    async close() {
      await forwarder?.kill('SIGTERM');
      rmSync(home, { recursive: true, force: true });
    },
  };
}

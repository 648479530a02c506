import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from '@nn/testkit';
import { afterAll, describe, expect, it } from 'vitest';

// What nnctl loads: a plain API command must not pull in the machinery of `nnctl up` (dockerode, BullMQ,
// Fastify and the packages built on them). Each run is nnctl as a process under a resolve hook that
// writes down every specifier resolved (testing/record-resolves.ts); the API is a port nothing listens
// on, so the command ends at its first request without any network traffic.

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const RECORDER = fileURLToPath(new URL('./testing/record-resolves.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HEAVY = [
  'dockerode',
  'bullmq',
  'fastify',
  '@nn/runtime',
  '@nn/node-units',
  '@nn/orchestrator-app',
  '@nn/orchestrator-jobs',
];
const API = 'http://127.0.0.1:1';

const dir = mkdtempSync(join(tmpdir(), 'nnctl-loads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** Runs nnctl with `args`; its exit code, stderr and the packages (bare specifiers) it resolved. */
async function loadsOf(args: string[]) {
  const log = join(dir, `resolved-${runs++}.txt`);
  const run = await runProcess(process.execPath, ['--import', 'tsx', '--import', RECORDER, MAIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NN_RESOLVE_LOG: log },
    timeoutMs: 60_000,
  });
  const specifiers = readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t')[0] ?? '');
  const packages = new Set(specifiers.filter((s) => !/^(\.|\/|node:|file:|data:)/.test(s)));
  const heavy = HEAVY.filter((p) => [...packages].some((s) => s === p || s.startsWith(`${p}/`)));
  return { code: run.code, stderr: run.stderr, packages, heavy };
}

describe('nnctl loads up/ only for up and down', () => {
  it.each(['chain ls', 'status', 'jobs'])('`nnctl %s` loads none of the heavy packages', async (command) => {
    const run = await loadsOf([...command.split(' '), '--api', API]);
    expect(run.stderr).toMatch(/cannot reach the orchestrator API/);
    expect(run.code).toBe(3);
    // The recorder saw this run's packages (commander parses every command)...
    expect(run.packages.has('commander')).toBe(true);
    // ...and none of up/'s.
    expect(run.heavy).toEqual([]);
  });

  it('`nnctl up` still loads them, in its action (bad options end as before)', async () => {
    const run = await loadsOf(['up', '--network', 'nope']);
    expect(run.stderr).toMatch(
      /--network: "nope" is not a shipped network \(devnet, kmdclassic, komodo, testnet-2024\)/,
    );
    expect(run.code).toBe(2);
    // up/'s own machinery. The orchestrator it starts runs in its container (nn/orchestrator), so nnctl
    // loads none of it: not the app, nor BullMQ and Fastify (node-units reaches the sidecars through
    // their contracts, @nn/sidecar-clients).
    expect(run.heavy).toEqual(expect.arrayContaining(['dockerode', '@nn/runtime', '@nn/node-units']));
    expect(run.heavy).not.toContain('@nn/orchestrator-app');
    expect(run.heavy).not.toContain('fastify');
  });
});

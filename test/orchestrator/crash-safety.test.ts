import { join } from 'node:path';
import { buildChainSpec } from '@nn/orchestrator-core';
import type { JobsRuntime } from '@nn/orchestrator-jobs';
import { ProcessTracker } from '@nn/testkit';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashThenRecover } from './crash-runner.js';
import { createEnv, DEVCHAIN_IMAGE, type Env, unitResources } from './harness.js';

// Crash safety of chain.add: a worker process is SIGKILLed in the middle of each step (at a checkpoint
// inside it), a fresh worker takes the stalled job over once its lock and the chain's lease expire, and
// the chain must end ready with exactly one unit (two containers) and one volume.

const CRASH_POINTS: ReadonlyArray<readonly [string, string]> = [
  ['validate', 'validated'],
  ['place', 'placed'],
  ['images', 'image'],
  ['volumes', 'volume'],
  ['secrets', 'secrets ready'],
  ['create', 'deploy sidecar-created'],
  ['start', 'deploy daemon-created'],
  ['wait-ready', 'poll'],
  ['import-key', 'imported'],
  ['register', 'token placed'],
];

const ROOT = join(import.meta.dirname, '..', '..');
let env: Env;
let workerScript: string;
const workers = new ProcessTracker();

beforeAll(async () => {
  env = await createEnv();
  // One plain ESM file for the worker processes: ten of them start in parallel, and a TypeScript
  // loader per process would make start-up, not the crash, the slow part.
  workerScript = join(env.dir, 'crash-worker.mjs');
  await build({
    entryPoints: [join(ROOT, 'test/orchestrator/crash-worker.ts')],
    outfile: workerScript,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['cpu-features', 'dtrace-provider'],
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __nnCreateRequire } from 'node:module'; const require = __nnCreateRequire(import.meta.url);",
    },
  });
});
afterAll(async () => {
  // The crash workers first, also when the test failed: a worker left running would keep taking jobs.
  await workers.close(0);
  await env?.cleanup();
});

describe('chain.add survives its worker being killed in the middle of any step', () => {
  it('ends ready with one unit and one volume after a crash at each step', async () => {
    const iguanaVolume = `t${env.id}-iguana-data`;
    await env.runtime.ensureVolume('local', iguanaVolume, `t${env.id}-iguana`);
    const { fakeIguana } = await import('./harness.js');
    const iguana = await fakeIguana(env.dir);
    const timings: string[] = [];
    // One chain per crash point. Their names are random, and komodod's p2p port (8000 + magic % 7777)
    // can coincide for two of them: the supply is moved until every derived port is the node's own.
    const taken = new Set<number>();
    const specs = CRASH_POINTS.map((_, i) => {
      for (let supply = 1_000_000; ; supply++) {
        const spec = buildChainSpec(
          { entry: { ac_name: `NNC${env.id.toUpperCase()}${i}`, ac_supply: String(supply) } },
          { image: DEVCHAIN_IMAGE },
        );
        if (taken.has(spec.ports.p2p) || taken.has(spec.ports.rpc)) continue;
        taken.add(spec.ports.p2p).add(spec.ports.rpc);
        return spec;
      }
    });
    try {
      await Promise.all(
        CRASH_POINTS.map(async ([step, point], i) => {
          const t0 = Date.now();
          const config = env.baseConfig({
            queueName: `crash-${i}`,
            iguana: {
              url: iguana.url,
              operatorTokenFile: iguana.tokenFile,
              node: 'local',
              volume: iguanaVolume,
            },
          });
          const spec = specs[i];
          if (!spec) throw new Error(`no chain for crash point ${i}`);
          await env.state.chains.create(spec);
          const producer: JobsRuntime = await env.start(config, { worker: false });
          const jobId = await producer.queue.addChain(spec.id);
          const { crashed, view } = await crashThenRecover(workers, env, config, `${step}|${point}`, jobId);
          expect(view.attemptsMade).toBeLessThanOrEqual(1);
          const chain = await env.state.chains.get(spec.id);
          expect(chain.status).toBe('ready');
          const unit = `t${env.id}-${spec.id}`;
          expect(await unitResources(env.runtime, unit)).toEqual({
            containers: [`${unit}-daemon`, `${unit}-sidecar`],
            volumes: [`${unit}-data`],
          });
          expect((await env.runtime.inspectUnit(unit)).state).toBe('running');
          // No secret in the crashed worker's logs either.
          const secret = (await import('node:fs'))
            .readFileSync(join(env.dir, 'secrets', 'chains', spec.id, 'rpcpassword'), 'utf8')
            .trim();
          expect(crashed.stdout + crashed.stderr).not.toContain(secret);
          expect(crashed.stdout + crashed.stderr).not.toContain(env.notary.wif);
          timings.push(`${step}: ${Date.now() - t0} ms`);
        }),
      );
      expect(iguana.added).toHaveLength(CRASH_POINTS.length);
      // Exactly one placement per chain: the node's usage counts each chain once.
      expect((await env.state.nodes.usage('local')).chains).toBe(CRASH_POINTS.length);
      console.log(`crash and recovery per step:\n  ${timings.join('\n  ')}`);
    } finally {
      await iguana.close();
    }
  }, 600_000);
});

import type { JobsConfigInput } from '@nn/orchestrator-jobs';
import { ProcessTracker } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execIn } from '../helpers/docker.js';
import { crashThenRecover } from './crash-runner.js';
import { createEnv, type Env, type FakeIguana, fakeIguana, unitResources } from './harness.js';
import { total, type Wallet, walletOf } from './wallet-helpers.js';

// Crash safety of chain.wallet-reset: the worker is SIGKILLed inside each step that changes something
// (after the broadcast, after the stop, after the move, during the restart's readiness wait, after the
// import, during the registration); a fresh worker takes the job over. Every chain must end ready with
// one unit and one volume, the old wallet kept, and no coin lost.

const CRASH_POINTS: ReadonlyArray<readonly [string, string]> = [
  ['send-to-self', 'sent'],
  ['stop', 'stopped'],
  ['set-aside', 'set aside'],
  ['wait-ready', 'ready'],
  ['import-key', 'imported'],
  ['register', 'token placed'],
];

let env: Env;
let iguana: FakeIguana;
const workers = new ProcessTracker();

beforeAll(async () => {
  env = await createEnv();
  iguana = await fakeIguana(env.dir);
  await env.runtime.ensureVolume('local', `t${env.id}-iguana-data`, `t${env.id}-iguana`);
});
afterAll(async () => {
  await workers.close(0);
  await iguana?.close();
  await env?.cleanup();
});

describe('chain.wallet-reset survives its worker being killed in the middle of any step', () => {
  it('ends ready with one unit, the old wallet kept and the whole balance, after a crash at each step', async () => {
    const { rpc, settled, readyChain } = walletOf(env);
    const timings: string[] = [];
    await Promise.all(
      CRASH_POINTS.map(async ([step, point], i) => {
        const t0 = Date.now();
        const config: JobsConfigInput = env.baseConfig({
          queueName: `wcrash-${i}`,
          // Six units start at once on a small machine: answers can be slow, and slowness is not the test.
          attempts: 6,
          httpTimeoutMs: 20_000,
          iguana: {
            url: iguana.url,
            operatorTokenFile: iguana.tokenFile,
            node: 'local',
            volume: `t${env.id}-iguana-data`,
          },
        });
        const adder = await env.start(config);
        const spec = await readyChain(adder, `NNX${env.id.toUpperCase()}${i}`, 1_000_000 + i * 7919);
        await adder.worker?.close();
        await rpc(spec, 'sendtoaddress', [env.notary.address, 5]);
        await settled(spec);
        const before = await rpc<Wallet>(spec, 'getwalletinfo');

        const jobId = await adder.queue.resetWallet(spec.id, 'manual');
        const { crashed, view } = await crashThenRecover(workers, env, config, `${step}|${point}`, jobId);
        const { walletBackup, fee } = view.result as { walletBackup: string; fee: number };

        const unit = `t${env.id}-${spec.id}`;
        expect((await env.state.chains.get(spec.id)).status).toBe('ready');
        expect(await unitResources(env.runtime, unit)).toEqual({
          containers: [`${unit}-daemon`, `${unit}-sidecar`],
          volumes: [`${unit}-data`],
        });
        // One kept wallet, the one the result names.
        const ls = await execIn(`${unit}-daemon`, ['ls', `/data/.komodo/${spec.identity.acName}`]);
        expect(ls.stdout.split('\n').filter((f) => /^wallet\.dat\..*\.bak$/.test(f))).toEqual([
          walletBackup.split('/').at(-1),
        ]);
        await settled(spec);
        const after = await rpc<Wallet>(spec, 'getwalletinfo');
        expect(total(after), `balance after a crash at ${step}`).toBeGreaterThanOrEqual(
          total(before) - Math.round(fee * 1e8),
        );
        expect(crashed.stdout + crashed.stderr).not.toContain(env.notary.wif);
        timings.push(`${step}: ${Date.now() - t0} ms`);
      }),
    );
    console.log(`wallet reset, crash and recovery per step:\n  ${timings.join('\n  ')}`);
  }, 600_000);
});

import { type BaseUnits, parseNodeUnitsDesired, plannedNodeUnits, removeBaseUnits } from '@nn/node-units';
import type { JobsConfigInput, JobsRuntime } from '@nn/orchestrator-jobs';
import { eventually, ProcessTracker } from '@nn/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execIn } from '../helpers/docker.js';
import { crashThenRecover } from './crash-runner.js';
import { createEnv, type Env, sidecarRpc, unitResources, waitForJob } from './harness.js';
import { fundedNodeUnits } from './node-units-env.js';
import { total, type Wallet } from './wallet-helpers.js';

// node.wallet-reset of the main chain (issue 16 item 1) on the real engine: a devnet node's LTC, KMD
// and Iguana units (stand-ins, Iguana's real sidecar) recorded as `nnctl up` records them, KMD funded
// (its coinbases mature after 100 blocks). Checked: the whole balance is in the fresh wallet, the old
// wallet.dat is kept beside it, the units come back (Iguana too); an unconfirmed balance refused by the
// preflight with nothing stopped; a worker SIGKILLed after each step that changes something (Iguana's
// stop, the broadcast, KMD's stop, the set-aside, KMD's start on a fresh wallet, the import, Iguana's
// start and readiness, the registration), each time a fresh worker finishing the job with nothing lost,
// the old wallet kept once and one unit per name; three of them with the stopped units brought back by
// their reconcile before the take-over. The split has no kill point of its own: devchain's
// komodod has no nn_split, and Iguana's splitfunds runs after the registration's point.

/**
 * A kill point after each step that changes something: `<step>|<point>`, the unit whose checkpoint it
 * is when another unit passes the same step, and a step the killed run must have entered first where
 * the point occurs twice (KMD's readiness is waited for before the unlock and after the move).
 */
export const CRASHES: ReadonlyArray<{
  at: string;
  state: string;
  unit?: 'iguana' | 'kmd' | 'node';
  after?: string;
}> = [
  { at: 'stop-iguana|stopped', unit: 'iguana', state: 'Iguana stopped, the wallet untouched' },
  { at: 'send-to-self|sent', state: 'right after the broadcast, the send unconfirmed' },
  { at: 'stop|stopped', unit: 'kmd', state: 'the send confirmed, KMD stopped, its wallet in place' },
  { at: 'set-aside|set aside', state: 'KMD and Iguana stopped, the wallet set aside' },
  { at: 'wait-ready|poll 1', unit: 'kmd', after: 'set-aside', state: 'KMD starting on a fresh wallet.dat' },
  { at: 'import-key|imported', state: 'the key imported and rescanned, not verified' },
  { at: 'start-iguana|deployed', unit: 'iguana', state: 'Iguana deployed, not ready yet' },
  { at: 'start-iguana|ready', unit: 'iguana', state: 'Iguana ready, no chain registered again' },
  { at: 'register|chains registered', unit: 'node', state: "registered, before Iguana's split" },
];
/**
 * Points after which the killed run left units stopped that their reconcile then brings back: Iguana
 * while the send is unconfirmed, KMD on its old wallet after the send confirmed, KMD on a fresh one.
 */
export const REVIVED = ['send-to-self|sent', 'stop|stopped', 'set-aside|set aside'];
const timings: string[] = [];

let env: Env;
let base: BaseUnits;
let jobs: JobsRuntime;
let config: JobsConfigInput;
let prefix: string;
let kmdUnit: string;

const kmd = async <T>(method: string, params: unknown[] = []): Promise<T> => {
  const { endpoint } = await env.runtime.inspectUnit(kmdUnit);
  const r = await sidecarRpc(endpoint as string, base.secrets.kmd.operator, method, params);
  if (r.error) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
};
const running = async (unit: string) => (await env.runtime.inspectUnit(unit).catch(() => undefined))?.state;
const backups = async () =>
  (await execIn(`${kmdUnit}-daemon`, ['ls', '/data/.komodo'])).stdout
    .split(/\s+/)
    .filter((f) => /^wallet\.dat\.\d{8}T\d{6}Z\.bak$/.test(f));

/** The wallet once nothing in it is unconfirmed (the preflight refuses an unconfirmed balance). */
async function settled(): Promise<Wallet> {
  await eventually(
    async () => expect((await kmd<Wallet>('getwalletinfo')).unconfirmed_balance).toBe(0),
    30_000,
  );
  return kmd<Wallet>('getwalletinfo');
}

type ResetResult = { walletBackup: string; fee: number; txid: string | null; split: { by: string } };

/** Everything KMD's wallet counts, read with one look; the job's fee comes back as the notary's coinbase. */
async function expectWhole(before: Wallet, result: ResetResult): Promise<void> {
  const after = await kmd<Wallet>('getwalletinfo');
  expect(total(after)).toBeGreaterThanOrEqual(total(before) - Math.round(result.fee * 1e8));
  expect((await kmd<{ ismine: boolean }>('validateaddress', [base.secrets.address])).ismine).toBe(true);
  for (const u of ['ltc', 'kmd', 'iguana']) expect(await running(`${prefix}${u}`), u).toBe('running');
}

/** Which of the cases a file runs: CI a representative few, `pnpm test:chaos` every one. */
export interface NodeWalletResetSuite {
  /** The kill points (`at` of CRASHES) run as crash cases. */
  readonly crashes: readonly string[];
  /** The kill points also run with the stopped units brought back before the take-over. */
  readonly revived: readonly string[];
  /** The reset itself and the preflight's refusal (once, in CI). */
  readonly basics: boolean;
}

/** Defines the file's tests on one devnet node (set up once). */
export function nodeWalletResetSuite(o: NodeWalletResetSuite): void {
  const unknown = [...o.crashes, ...o.revived].filter((at) => !CRASHES.some((c) => c.at === at));
  if (unknown.length > 0) throw new Error(`no such kill point: ${unknown.join(', ')}`);
  beforeAll(async () => {
    env = await createEnv();
    ({ prefix, base, config } = await fundedNodeUnits(env, 'nwallet'));
    kmdUnit = `${prefix}kmd`;
    jobs = await env.start(config);
  });

  afterAll(async () => {
    if (timings.length > 0) console.log(`node wallet reset, crash and recovery:\n  ${timings.join('\n  ')}`);
    if (env)
      await removeBaseUnits(env.runtime, prefix, { volumes: true, timeoutSec: 5 }).catch(() => undefined);
    await env?.cleanup();
  });

  /** One crash case on its own queue: killed at `c`, `meanwhile` run, a fresh worker finishing the job. */
  async function crashCase(c: (typeof CRASHES)[number], meanwhile?: () => Promise<void>): Promise<void> {
    await jobs.worker?.close();
    const queueName = `nwallet-${meanwhile ? 'r-' : ''}${c.at.replace(/[^a-z]+/g, '-')}`;
    const crashConfig = { ...config, queueName };
    const producer = await env.start(crashConfig, { worker: false });
    const before = await settled();
    const kept = await backups();
    const id = await producer.queue.resetNodeWallet('main');
    const workers = new ProcessTracker();
    const t0 = Date.now();
    try {
      const subject = c.unit ? `|${c.unit === 'node' ? 'node' : `${prefix}${c.unit}`}` : '';
      const at = `${c.at}${subject}`;
      const { crashed, view } = await crashThenRecover(workers, env, crashConfig, at, id, meanwhile);
      // The killed run had got that far (wait-ready is passed twice: before the unlock and after the move).
      if (c.after) expect(crashed.stdout).toContain(`"step":"${c.after}"`);
      expect(crashed.stdout + crashed.stderr).not.toContain(base.secrets.wif);
      expect(view.attemptsMade).toBeLessThanOrEqual(1);
      const result = view.result as ResetResult;
      expect(result.txid).toMatch(/^[0-9a-f]{64}$/);
      await expectWhole(before, result);
      // One reset, one more wallet kept (the one the result names), never a second self-send's wallet.
      const now = await backups();
      expect(now.filter((f) => !kept.includes(f))).toEqual([result.walletBackup.split('/').at(-1)]);
      expect(now).toHaveLength(kept.length + 1);
    } finally {
      await workers.close(0);
    }
    // One unit per name: a daemon and a sidecar each, one data volume, nothing twice.
    for (const u of ['ltc', 'kmd', 'iguana']) {
      const unit = `${prefix}${u}`;
      const { containers, volumes } = await unitResources(env.runtime, unit);
      expect(containers, unit).toEqual([`${unit}-daemon`, `${unit}-sidecar`]);
      expect(volumes, unit).toHaveLength(1);
    }
    timings.push(`${meanwhile ? 'revived, ' : ''}${c.at}: ${Date.now() - t0} ms`);
  }

  /** What the node units' reconcile does to a unit it finds down: deployed from its desired state, waited for. */
  async function reviveUnits(): Promise<void> {
    const desired = parseNodeUnitsDesired(await env.state.nodeUnits.getDesired());
    for (const { spec } of plannedNodeUnits(desired)) {
      const { endpoint } = await env.runtime.deployUnit(spec);
      await eventually(async () => expect((await fetch(`${endpoint}/readyz`)).status).toBe(200), 60_000);
    }
  }

  describe('nnctl node wallet-reset main: node.wallet-reset on the real engine', () => {
    if (o.basics) {
      it('moves the whole KMD balance into a fresh wallet.dat, keeps the old one, and starts Iguana again', async () => {
        const before = await settled();
        expect(before.balance).toBeGreaterThan(0);
        const view = await waitForJob(jobs, await jobs.queue.resetNodeWallet('main', 'tester'), 240_000);
        expect(view.error).toBeNull();
        const result = view.result as ResetResult;
        expect(result.txid).toMatch(/^[0-9a-f]{64}$/);
        expect(result.walletBackup).toMatch(/^\/data\/\.komodo\/wallet\.dat\.\d{8}T\d{6}Z\.bak$/);
        expect(await backups()).toHaveLength(1);
        // devchain's komodod has no nn_split: Iguana's splitfunds once it runs again.
        expect(result.split.by).toBe('iguana');
        await expectWhole(before, result);
      });

      it('refuses a wallet with an unconfirmed balance before any change (Iguana and KMD untouched)', async () => {
        await settled();
        await kmd('setgenerate', [false]);
        try {
          await kmd('sendtoaddress', [base.secrets.address, 1]);
          const ids = async () =>
            Promise.all(
              ['kmd', 'iguana'].map(async (u) => (await env.runtime.inspectUnit(`${prefix}${u}`)).daemon?.id),
            );
          const idsBefore = await ids();
          const kept = (await backups()).length;
          const view = await waitForJob(jobs, await jobs.queue.resetNodeWallet('main'));
          expect(view.state).toBe('failed');
          expect(view.attemptsMade).toBe(1);
          expect(view.error?.message).toMatch(
            /^preflight: the wallet has [\d.]+ unconfirmed: wait until it confirms/,
          );
          expect(await ids()).toEqual(idsBefore);
          for (const u of ['kmd', 'iguana']) expect(await running(`${prefix}${u}`), u).toBe('running');
          expect(await backups()).toHaveLength(kept);
        } finally {
          await kmd('setgenerate', [true, 1]);
        }
      });
    }

    it.each(CRASHES.filter((c) => o.crashes.includes(c.at)))(
      'a worker killed at $at ($state): a fresh worker finishes, nothing lost',
      (c) => crashCase(c),
    );

    // Between the crash and the take-over the node units' lease runs out, and their reconcile (a fresh
    // worker's start-up sweep) may bring back what the killed run had stopped: Iguana, and KMD on its old
    // wallet or its fresh one.
    it.each(CRASHES.filter((c) => o.revived.includes(c.at)))(
      'killed at $at, the units brought back by their reconcile before the take-over: nothing lost',
      (c) => crashCase(c, reviveUnits),
    );
  });
}

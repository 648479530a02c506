import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildChainSpec } from '@nn/orchestrator-core';
import { fixturePath } from '@nn/testkit';
import type { ChaosEngine } from './engine.js';
import type { ChaosNode } from './node.js';

// The faults of issue 15, each on the one devnet node the suite shares (engine 1 of the chaos engines),
// one after the other. A case does its damage and returns the chains it added; the caller then waits,
// within the case's bound, until every chain is ready and `notarized` has risen again (heal.ts).

/**
 * How long "a minute" of outage lasts (the orchestrator stopped, an engine cut off): NN_CHAOS_OUTAGE_S,
 * default 60 s as the issue says; CI may shorten it (the healing after it is the same).
 */
export const OUTAGE_MS = Number(process.env.NN_CHAOS_OUTAGE_S ?? '60') * 1000;

export interface CaseContext {
  readonly engines: ChaosEngine;
  readonly node: ChaosNode;
}

export interface ChaosCase {
  readonly id: string;
  readonly title: string;
  /** The time from the end of the fault until every chain must be notarising again. */
  readonly boundMs: number;
  /** Does the damage; says which chains it added. */
  run(ctx: CaseContext): Promise<CaseAdded>;
}

/** The chains a case added: all must end ready; those in `notarising` must notarise too. */
export interface CaseAdded {
  readonly notarising: readonly string[];
  /**
   * Staked chains (ac_staked): a notary only stakes on them (`setgenerate true 0`, as komodod is run),
   * and with no other miner on a devnet they stay at height 0, so they can be ready but never notarise.
   */
  readonly readyOnly?: readonly string[];
}

const NONE: CaseAdded = { notarising: [] };

const S8 = JSON.parse(readFileSync(fixturePath('assetchains.s8.json'), 'utf8')) as Array<
  Record<string, unknown> & { ac_name: string }
>;

function entryFile(ctx: CaseContext, acName: string): string {
  const entry = S8.find((e) => e.ac_name === acName);
  if (!entry) throw new Error(`${acName} is not in the Season 8 fixture`);
  const file = join(ctx.node.home, `${acName.toLowerCase()}.json`);
  writeFileSync(file, JSON.stringify(entry));
  return file;
}

async function nnctlJson<T>(ctx: CaseContext, args: readonly string[]): Promise<T> {
  const r = await ctx.node.nnctl(['--json', ...args]);
  if (r.code !== 0) throw new Error(`nnctl ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as T;
}

/** `nnctl chain add --file ENTRY --no-wait`: the job's id and the chain's. */
async function addChain(ctx: CaseContext, acName: string): Promise<{ jobId: string; chainId: string }> {
  return nnctlJson(ctx, ['chain', 'add', '--file', entryFile(ctx, acName), '--no-wait']);
}

/**
 * Polls the API's GET /v1/jobs/ID every 100 ms (nnctl's start-up alone would miss a short step such as
 * wait-ready) until `ok` holds for it, 30 s at most.
 */
async function jobUntil(
  ctx: CaseContext,
  jobId: string,
  ok: (j: { state: string; step: string | null }) => boolean,
  what: string,
): Promise<void> {
  const key = (JSON.parse(readFileSync(ctx.node.keyFile, 'utf8')) as { operator: string[] }).operator[0];
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${ctx.node.apiUrl}/v1/jobs/${encodeURIComponent(jobId)}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const job = (await res.json()) as { state: string; step: string | null };
    if (ok(job)) return;
    if (Date.now() > deadline) throw new Error(`job ${jobId} never got to ${what}: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const unit = (ctx: CaseContext, name: string) => `${ctx.node.name}-${name}`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const CASES: readonly ChaosCase[] = [
  {
    id: 'engine-kill',
    title: 'the Docker engine SIGKILLed and started again',
    boundMs: 120_000, // the "within two minutes with no command typed"
    async run({ engines }) {
      engines.killEngine(1);
      engines.startEngine(1);
      return NONE;
    },
  },
  {
    id: 'orchestrator-kill',
    title: 'the orchestrator SIGKILLed',
    boundMs: 90_000,
    async run(ctx) {
      await ctx.engines.killContainerProcess(1, unit(ctx, 'orchestrator'));
      return NONE;
    },
  },
  {
    id: 'orchestrator-stopped',
    title: `the orchestrator stopped for ${OUTAGE_MS / 1000} s while a unit dies`,
    boundMs: 90_000,
    async run(ctx) {
      const docker = ctx.engines.docker(1);
      await docker.getContainer(unit(ctx, 'orchestrator')).stop({ t: 60 });
      // Killed through the engine, the daemon stays exited (the engine counts it as stopped by hand):
      // only the orchestrator, once back, can bring it back.
      await docker.getContainer(unit(ctx, 'c-koin-daemon')).kill();
      await pause(OUTAGE_MS);
      await docker.getContainer(unit(ctx, 'orchestrator')).start();
      return NONE;
    },
  },
  {
    id: 'reboot',
    title: 'a reboot: engine, orchestrator and Redis (AOF) all killed, then only the engine started',
    boundMs: 180_000,
    async run({ engines }) {
      engines.powerOff(1);
      engines.startEngine(1);
      return NONE;
    },
  },
  {
    id: 'iguana-removed',
    title: "Iguana's unit removed while chains are being added",
    boundMs: 180_000,
    async run(ctx) {
      const added = [await addChain(ctx, 'CLC')];
      await jobUntil(ctx, added[0]?.jobId ?? '', (j) => j.state === 'active', 'active');
      const docker = ctx.engines.docker(1);
      for (const c of ['iguana-daemon', 'iguana-sidecar'])
        await docker.getContainer(unit(ctx, c)).remove({ force: true, v: false });
      return { notarising: added.map((a) => a.chainId) };
    },
  },
  {
    id: 'kmd-kill-during-add',
    title: "KMD's daemon SIGKILLed while an assetchain's chain.add waits for readiness",
    boundMs: 180_000,
    async run(ctx) {
      // PIRATE: the staked S8 chains (ac_staked) stay at height 0 on the devnet, so they never notarise.
      const { jobId, chainId } = await addChain(ctx, 'PIRATE');
      await jobUntil(ctx, jobId, (j) => j.step === 'wait-ready', 'wait-ready');
      await ctx.engines.killContainerProcess(1, unit(ctx, 'kmd-daemon'));
      return { notarising: [chainId] };
    },
  },
  {
    id: 'redis-kill-during-import',
    title: 'Redis SIGKILLed during a chain import of the Season 8 file',
    boundMs: 300_000,
    async run(ctx) {
      // The file's entries the node does not run yet (import is all or nothing: a present one is a 409).
      const present = new Set(
        (await nnctlJson<{ chains: Array<{ id: string }> }>(ctx, ['chain', 'ls'])).chains.map((c) => c.id),
      );
      const file = join(ctx.node.home, 's8-rest.json');
      const rest = S8.filter(
        (entry) => !present.has(buildChainSpec({ entry }, { image: 'nn/devchain:0.1.0' }).id),
      );
      writeFileSync(file, JSON.stringify(rest));
      const accepted = await nnctlJson<
        Array<{ jobId: string; chainId: string }> | { jobs: Array<{ jobId: string; chainId: string }> }
      >(ctx, ['chain', 'import', file, '--no-wait']);
      const jobs = Array.isArray(accepted) ? accepted : accepted.jobs;
      await jobUntil(ctx, jobs[0]?.jobId ?? '', (j) => j.state === 'active', 'active');
      await ctx.engines.killContainerProcess(1, unit(ctx, 'redis'));
      const staked = new Set<string>(
        rest
          .filter((e) => e.ac_staked !== undefined)
          .map((entry) => buildChainSpec({ entry }, { image: 'nn/devchain:0.1.0' }).id),
      );
      const ids = jobs.map((j) => j.chainId);
      return {
        notarising: ids.filter((id) => !staked.has(id)),
        readyOnly: ids.filter((id) => staked.has(id)),
      };
    },
  },
];

import { readFileSync } from 'node:fs';
import {
  type BaseUnits,
  type NodeUnitsDesired,
  parseNodeUnitsDesired,
  removeBaseUnits,
} from '@nn/node-units';
import { buildChainSpec, type NodeUpgradeImages, nodeUpgradeImagesSchema } from '@nn/orchestrator-core';
import type { JobsConfigInput, JobsRuntime, StepHooks } from '@nn/orchestrator-jobs';
import { expect } from 'vitest';
import { docker } from '../helpers/docker.js';
import { createEnv, DEVCHAIN_IMAGE, type Env, sidecarRpc, waitForJob } from './harness.js';
import { deployNodeUnits } from './node-units-env.js';
import { total, type Wallet, walletOf } from './wallet-helpers.js';

// The node upgrade tests' set-up: a devnet node's LTC, KMD and Iguana units (the stand-in images,
// Iguana's real sidecar) recorded as desired state the way `nnctl up` records them, and one assetchain
// added through the jobs and registered with Iguana; with the looks those tests make.

export const IGUANA_IMAGE = 'nn/deviguana:0.1.0';

export const images = (v: Record<string, string>): NodeUpgradeImages => nodeUpgradeImagesSchema.parse(v);

export interface NodeUpgradeEnv {
  readonly env: Env;
  readonly base: BaseUnits;
  /** The in-process runtime on `config`'s queue (its worker and, if asked, the reconcile sweep). */
  readonly jobs: JobsRuntime;
  readonly config: JobsConfigInput;
  /** Every node unit's name starts with it. */
  readonly prefix: string;
  readonly names: { readonly ltc: string; readonly kmd: string; readonly iguana: string };
  readonly chainId: string;
  readonly chainUnit: string;
  readonly iguanaName: string;
  /** The image under another tag of this run (a different reference, the same content). */
  retag(image: string, tag: string): Promise<string>;
  /** This run's second reference of devchain's and deviguana's images (made once). */
  altImages(): Promise<{ devchain: string; iguana: string }>;
  daemonImage(unit: string): Promise<string>;
  daemonStart(unit: string): Promise<number>;
  running(unit: string): Promise<string | undefined>;
  /** The data volumes of the node's units and the chain (kept by every upgrade: wallets and blocks). */
  volumes(): Promise<string[]>;
  desiredImages(): Promise<NodeUnitsDesired['layout']['images']>;
  iguanaCoins(): Promise<Array<{ name: string; registered: boolean }>>;
  /** Everything each wallet of the node counts, in satoshis: LTC's, KMD's and the assetchain's. */
  balances(): Promise<{ ltc: number; kmd: number; chain: number }>;
  close(): Promise<void>;
}

export async function nodeUpgradeEnv(opts: {
  queueName: string;
  sweep?: boolean;
  hooks?: StepHooks;
}): Promise<NodeUpgradeEnv> {
  const env = await createEnv();
  const tags: string[] = [];
  let jobs: JobsRuntime | undefined;
  let prefix = `t${env.id}-n-`;
  const close = async () => {
    await jobs?.queue.queue.removeJobScheduler('reconcile-sweep').catch(() => undefined);
    await removeBaseUnits(env.runtime, prefix, { volumes: true, timeoutSec: 5 }).catch(() => undefined);
    await env.cleanup();
    for (const tag of tags)
      await docker
        .getImage(tag)
        .remove()
        .catch(() => undefined);
  };
  try {
    const deployed = await deployNodeUnits(env);
    prefix = deployed.prefix;
    const { base } = deployed;
    const config = env.baseConfig({
      queueName: opts.queueName,
      ...base.jobsConfig,
      daemonExtraArgs: ['-devblocktime=1', '-devwarmup=2'],
      readyTimeoutMs: 60_000,
      sweepEveryMs: 2_000,
      nodeUnitReadyTimeoutMs: 60_000,
    });
    jobs = await env.start(config, {
      sweep: opts.sweep ?? false,
      ...(opts.hooks ? { hooks: opts.hooks } : {}),
    });
    const spec = buildChainSpec(
      { entry: { ac_name: `NUP${env.id.toUpperCase()}`, ac_supply: '1000000' } },
      { image: DEVCHAIN_IMAGE },
    );
    await env.state.chains.create(spec);
    const view = await waitForJob(jobs, await jobs.queue.addChain(spec.id, 'tester'), 180_000);
    expect(view.error).toBeNull();
    return looks(env, { base, jobs, config, prefix, spec, tags, close });
  } catch (err) {
    await close();
    throw err;
  }
}

function looks(
  env: Env,
  s: {
    base: BaseUnits;
    jobs: JobsRuntime;
    config: JobsConfigInput;
    prefix: string;
    spec: ReturnType<typeof buildChainSpec>;
    tags: string[];
    close: () => Promise<void>;
  },
): NodeUpgradeEnv {
  const { base, prefix, spec, tags } = s;
  const names = { ltc: `${prefix}ltc`, kmd: `${prefix}kmd`, iguana: `${prefix}iguana` };
  const chainUnit = `t${env.id}-${spec.id}`;
  const retag = async (image: string, tag: string) => {
    const repo = image.slice(0, image.lastIndexOf(':'));
    await docker.getImage(image).tag({ repo, tag });
    tags.push(`${repo}:${tag}`);
    return `${repo}:${tag}`;
  };
  let alt: { devchain: string; iguana: string } | undefined;
  const walletTotal = async (unit: string, token: string) => {
    const { endpoint } = await env.runtime.inspectUnit(unit);
    const r = await sidecarRpc(endpoint as string, token, 'getwalletinfo');
    if (r.error) throw new Error(`${unit} getwalletinfo: ${r.error.message}`);
    return total(r.result as Wallet);
  };
  return {
    env,
    ...s,
    names,
    chainId: spec.id,
    chainUnit,
    iguanaName: spec.identity.iguanaName,
    retag,
    async altImages() {
      alt ??= {
        devchain: await retag(DEVCHAIN_IMAGE, `t${env.id}-next`),
        iguana: await retag(IGUANA_IMAGE, `t${env.id}-next`),
      };
      return alt;
    },
    daemonImage: async (unit) => (await docker.getContainer(`${unit}-daemon`).inspect()).Config.Image,
    daemonStart: async (unit) =>
      Date.parse((await docker.getContainer(`${unit}-daemon`).inspect()).State.StartedAt),
    running: async (unit) => (await env.runtime.inspectUnit(unit).catch(() => undefined))?.state,
    volumes: async () =>
      (await env.runtime.listOwned())
        .filter((r) => r.kind === 'volume' && (r.unit.startsWith(prefix) || r.unit === chainUnit))
        .map((r) => r.name)
        .sort(),
    desiredImages: async () => parseNodeUnitsDesired(await env.state.nodeUnits.getDesired()).layout.images,
    async iguanaCoins() {
      const iguana = base.iguana;
      if (!iguana) throw new Error('the devnet layout has Iguana');
      const token = readFileSync(iguana.viewerTokenFile, 'utf8').trim();
      const res = await fetch(`${iguana.endpoint}/v1/status`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5_000),
      });
      return ((await res.json()) as { coins: Array<{ name: string; registered: boolean }> }).coins;
    },
    async balances() {
      const chain = (await env.state.chains.get(spec.id)).spec;
      return {
        ltc: await walletTotal(names.ltc, base.secrets.ltc.operator),
        kmd: await walletTotal(names.kmd, base.secrets.kmd.operator),
        chain: total(await walletOf(env).rpc<Wallet>(chain, 'getwalletinfo')),
      };
    },
  };
}

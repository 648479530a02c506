import { join } from 'node:path';
import {
  baseLayoutOf,
  deployBaseUnits,
  devnetProfile,
  fundDevnet,
  type NetworkProfile,
  nodeUnitsDesired,
} from '@nn/node-units';
import type { JobsConfigInput } from '@nn/orchestrator-jobs';
import { freePorts } from '@nn/testkit';
import type { Env } from './harness.js';

/** The devnet's own units (LTC, KMD, Iguana) deployed as `nnctl up` does, and recorded as desired state. */
export interface NodeUnitsEnv {
  /** Every node unit's name starts with it: `t<env id>-n-`. */
  readonly prefix: string;
  readonly base: Awaited<ReturnType<typeof deployBaseUnits>>;
}

/**
 * Deploys the devnet layout's node units into the test env (their own free ports, the env's network and
 * instance label, a short stop timeout) and puts their desired state into Redis, as `nnctl up` records it:
 * what the node-level jobs (upgrade, season, reconcile of node units) start from.
 */
export async function deployNodeUnits(
  env: Env,
  /** The network whose layout the units follow (default the devnet's; a real one with its stand-ins). */
  profile: NetworkProfile = devnetProfile(),
): Promise<NodeUnitsEnv> {
  const prefix = `t${env.id}-n-`;
  const layout = {
    prefix,
    node: 'local',
    network: env.network,
    ports: await freePorts('ltc', 'kmd', 'iguana'),
    ...baseLayoutOf(profile, prefix),
    labels: { 'nn.instance': `t${env.id}` },
    stopTimeoutSec: 10,
  };
  const secretsDir = join(env.dir, 'secrets');
  const base = await deployBaseUnits({ runtime: env.runtime, secretsDir, ...layout });
  await env.state.nodeUnits.putDesired({ ...nodeUnitsDesired(layout, secretsDir) });
  return { prefix, base };
}

/**
 * deployNodeUnits, funded (fundDevnet: LTC and KMD past coinbase maturity, the notary UTXOs split), with
 * the jobs config the node wallet tests run on: the units' wiring, Iguana splitting 5 notary UTXOs, a
 * minute's readiness bound.
 */
export async function fundedNodeUnits(
  env: Env,
  queueName: string,
  profile: NetworkProfile = devnetProfile(),
): Promise<NodeUnitsEnv & { readonly config: JobsConfigInput }> {
  const units = await deployNodeUnits(env, profile);
  await fundDevnet(units.base);
  const wiring = units.base.jobsConfig;
  if (!wiring.iguana) throw new Error(`the ${profile.network} layout has no Iguana`);
  const config = env.baseConfig({
    queueName,
    ...wiring,
    iguana: { ...wiring.iguana, splitUtxos: 5 },
    readyTimeoutMs: 60_000,
    nodeUnitReadyTimeoutMs: 60_000,
  });
  return { ...units, config };
}

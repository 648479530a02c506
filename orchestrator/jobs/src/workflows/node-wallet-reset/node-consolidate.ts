import { loadNodeSecrets } from '@nn/node-units';
import type { NodeWalletTarget } from '@nn/orchestrator-core';
import { sidecarUrlOf } from '../../steps/wait-ready.js';
import { WalletRpc } from '../../wallet/wallet-rpc.js';
import { type MergeOutcome, mergeOutputs, requireSynced } from '../consolidate.js';
import type { NodeJobRun } from '../node-upgrade/node-context.js';
import { unitContext } from '../node-upgrade/node-context.js';
import { requireDesired } from '../node-upgrade/upgrade-node-unit.js';
import { resetTargetOf } from './reset-target.js';

// node.consolidate: the main chain's or the destination's wallet merged as chain.consolidate merges an
// assetchain's (every non-notary output into one to the notary address, the notary-size P2PK ones left
// for Iguana), through the unit's sidecar in the daemon's own dialect (litecoind signs with
// signrawtransactionwithwallet). Nothing is stopped: Iguana keeps notarising with the notary UTXOs. It
// is what a wallet reset asks for first when the wallet holds more outputs than one transaction carries.

export interface NodeConsolidateResult extends MergeOutcome {
  readonly target: NodeWalletTarget;
  readonly unit: string;
}

export async function nodeConsolidate(
  run: NodeJobRun,
  target: NodeWalletTarget,
): Promise<NodeConsolidateResult> {
  const desired = await requireDesired(unitContext(run, 'node'));
  const secrets = loadNodeSecrets(desired.secretsDir);
  const t = resetTargetOf(desired, secrets, target);
  const ctx = unitContext(run, t.unit);
  const url = await sidecarUrlOf(ctx);
  await requireSynced(ctx, url, t.tokens.viewer);
  const rpc = WalletRpc.at(url, t.tokens.operator, run.deps.config.httpTimeoutMs, ctx.signal, t.flavour);
  const outcome = await mergeOutputs(ctx, rpc, t.address, secrets.pubkey);
  return { target, unit: t.unit, ...outcome };
}

import { loadNodeSecrets, type NodeUnitsDesired, unitNames } from '@nn/node-units';
import type { NodeWalletTarget } from '@nn/orchestrator-core';
import { type UnitHandle, UnitNotFoundError } from '@nn/runtime';
import type { ChainJobContext } from '../../context.js';
import { sidecarUrlOf, waitReady } from '../../steps/wait-ready.js';
import {
  importAndVerify,
  keptWallet,
  notedPlan,
  type ResetUnit,
  sendAndSetAside,
} from '../../wallet/reset-steps.js';
import { type NodeJobRun, unitContext } from '../node-upgrade/node-context.js';
import { registerChains, startIguana } from '../node-upgrade/node-iguana.js';
import { imageOfRole, requireDesired, specOf } from '../node-upgrade/upgrade-node-unit.js';
import { resetTargetOf } from './reset-target.js';
import { type MainSplit, splitWithDaemon, splitWithIguana } from './split-main.js';

// node.wallet-reset of the main chain (KMD, KMDCL) or of the destination chain (LTC), the steps of
// chain.wallet-reset (wallet/reset-steps) on the node's own unit, under the node units' lease so their
// reconcile leaves the units it stops alone: preflight (noted before any change) → stop Iguana (it
// spends on both chains, and must not while the balance moves) → unlock → send the whole balance to the
// notary address (signed, noted, broadcast) → confirm → graceful stop → wallet.dat set aside → start →
// (litecoind: its wallet created again) → import the key, rescanning from the maturity below the start
// height → verify, else fail with the old wallet kept → split (nn_split where the daemon has it) →
// Iguana started again → chains registered again.

export interface NodeWalletResetResult {
  readonly target: NodeWalletTarget;
  readonly unit: string;
  /** The old wallet, kept (never deleted), as a path inside the unit. */
  readonly walletBackup: string;
  readonly balanceBefore: number;
  readonly balanceAfter: number;
  readonly fee: number;
  readonly txid: string | null;
  readonly walletBytesBefore: number | null;
  readonly walletBytesAfter: number | null;
  readonly split: MainSplit;
  readonly registered: number;
  readonly notRegistered: string[];
}

/** The unit's mount of its volume, where the datadirs of the network file are relative to. */
const HOME = '/data';

export async function nodeWalletReset(
  run: NodeJobRun,
  target: NodeWalletTarget,
): Promise<NodeWalletResetResult> {
  const desired = await requireDesired(unitContext(run, 'node'));
  const names = unitNames(desired.layout.prefix);
  const secrets = loadNodeSecrets(desired.secretsDir);
  const t = resetTargetOf(desired, secrets, target);
  const ctx = unitContext(run, t.unit);
  const spec = specOf(desired, t.role);
  const unit: ResetUnit = {
    ctx,
    node: desired.layout.node,
    volume: spec.volume?.name ?? `${spec.name}-data`,
    operatorToken: t.tokens.operator,
    viewerToken: t.tokens.viewer,
    flavour: t.flavour,
    start: () => startNodeUnit(ctx, desired, t.role),
  };
  const plan = await notedPlan(unit, t.facts);
  const iguana = desired.layout.daemons.iguana ? names.iguana : null;
  if (iguana) await stopIguana(run, iguana);
  const send = await sendAndSetAside(unit, plan);
  await ctx.progress.enter('start', 'with a fresh wallet.dat');
  const handle = await unit.start();
  const after = await importAndVerify(unit, handle, t.wif, plan, send);
  const wanted = ctx.deps.config.iguana?.splitUtxos ?? 0;
  let split = await splitWithDaemon(unit, await sidecarUrlOf(ctx, handle), secrets.pubkey, wanted);
  let registered = 0;
  let notRegistered: string[] = [];
  if (iguana) {
    const image = imageOfRole(desired, 'iguana');
    await startIguana(run, { unit: iguana, node: desired.layout.node, from: image, to: image }, image);
    ({ registered, pending: notRegistered } = await registerChains(run));
    if (split.by === 'iguana' && !(await splitWithIguana(unit, t.coin, split.count)))
      split = { by: 'none', count: 0 };
  } else if (split.by === 'iguana') split = { by: 'none', count: 0 };
  await ctx.progress.enter('done');
  return {
    target,
    unit: t.unit,
    walletBackup: `${HOME}/${await keptWallet(ctx, plan)}`,
    balanceBefore: plan.balance / 1e8,
    balanceAfter: after.balance / 1e8,
    fee: (send?.fee ?? 0) / 1e8,
    txid: send?.txid ?? null,
    walletBytesBefore: plan.walletBytes,
    walletBytesAfter: after.walletBytes,
    split,
    registered,
    notRegistered,
  };
}

/** The role's unit from its recorded desired state (a no-op on a running one), waited for. */
async function startNodeUnit(
  ctx: ChainJobContext,
  desired: NodeUnitsDesired,
  role: 'main' | 'destination',
): Promise<UnitHandle> {
  const handle = await ctx.deps.runtime.deployUnit(specOf(desired, role));
  await waitReady(ctx, handle);
  return handle;
}

/** stop-iguana: graceful, a no-op on a stopped unit; the reconcile leaves it so (the lease is ours). */
async function stopIguana(run: NodeJobRun, unit: string): Promise<void> {
  await run.progress.enter('stop-iguana', `graceful stop of ${unit}`);
  try {
    await run.deps.runtime.stopUnit(unit, { timeoutSec: run.deps.config.stopTimeoutSec });
  } catch (err) {
    if (!(err instanceof UnitNotFoundError)) throw err;
  }
  await unitContext(run, unit).checkpoint('stopped');
}

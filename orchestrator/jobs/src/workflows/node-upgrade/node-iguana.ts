import { loadNodeSecrets, unitNames } from '@nn/node-units';
import { type NodeUpgradePlan, PermanentError } from '@nn/orchestrator-core';
import { abortableSleep } from '@nn/shared';
import { asJobError } from '../../errors.js';
import { iguanaCoins, shouldBeRegistered } from '../../reconcile/registrations.js';
import { readyReason, registerIguana } from '../../steps/register-iguana.js';
import { waitReady } from '../../steps/wait-ready.js';
import { unitNameOf } from '../../unit/unit-name.js';
import { WalletRpc } from '../../wallet/wallet-rpc.js';
import { type NodeJobRun, unitContext, withChainLease } from './node-context.js';
import {
  imageOfRole,
  recordImage,
  requireDesired,
  rollbackNodeUnit,
  specOf,
  withImage,
} from './upgrade-node-unit.js';

// Iguana's part of the node upgrade, as m_notary_main starts a notary: the UTXOs the old Iguana left
// locked released on every daemon while no Iguana runs, then Iguana started (its sidecar runs myipaddr,
// addnotary, addcoin, walletpassphrase, dpow), then the chains registered with it again.

/**
 * unlock: listlockunspent → lockunspent true on the destination, the main chain and every ready chain,
 * through their sidecars with the operator token. Best effort per daemon (Iguana's sidecar releases
 * them again when it sees a fresh Iguana); returns how many were released.
 */
export async function unlockStaleUtxos(run: NodeJobRun, plan: NodeUpgradePlan): Promise<number> {
  const { deps, progress, signal } = run;
  await progress.enter('unlock', 'UTXOs the stopped Iguana left locked');
  const desired = await requireDesired(unitContext(run, plan.iguana?.unit ?? 'node'));
  const secrets = loadNodeSecrets(desired.secretsDir);
  const names = unitNames(desired.layout.prefix);
  const daemons: Array<{ unit: string; token: string }> = [
    ...(desired.layout.daemons.destination ? [{ unit: names.ltc, token: secrets.ltc.operator }] : []),
    { unit: names.kmd, token: secrets.kmd.operator },
  ];
  for (const chain of (await deps.state.chains.list()).filter(shouldBeRegistered))
    daemons.push({
      unit: unitNameOf(deps.config.unitPrefix, chain.spec.id),
      token: deps.secrets.chain(chain.spec.id, chain.spec.identity.acName).operatorToken,
    });
  let total = 0;
  for (const { unit, token } of daemons) {
    try {
      const endpoint = (await deps.runtime.inspectUnit(unit)).endpoint;
      if (!endpoint) throw new Error('no sidecar endpoint');
      total += await WalletRpc.at(endpoint, token, deps.config.httpTimeoutMs, signal).unlockAll();
    } catch (err) {
      deps.log.warn({ unit, err: asJobError(err).message }, 'locked UTXOs not released');
    }
  }
  await unitContext(run, plan.iguana?.unit ?? 'node').checkpoint('unlocked');
  return total;
}

/**
 * start-iguana: Iguana deployed on `image` (a new one replaces the unit; its own image starts the
 * stopped unit) and waited for until its sidecar says the start-up sequence is done; then the image
 * is written to the desired state. A new image that never gets there is rolled back to the previous.
 */
export async function startIguana(
  run: NodeJobRun,
  iguana: NonNullable<NodeUpgradePlan['iguana']>,
  image: string,
): Promise<void> {
  const ctx = unitContext(run, iguana.unit);
  await run.progress.enter('start-iguana', `${iguana.unit} on ${image}`);
  const desired = await requireDesired(ctx);
  try {
    const handle = await ctx.deps.runtime.deployUnit(specOf(withImage(desired, 'iguana', image), 'iguana'));
    await ctx.checkpoint('deployed');
    await waitReady(ctx, handle, 'start-iguana');
  } catch (err) {
    if (image === iguana.from) throw err;
    const cause = asJobError(err).message;
    await rollbackNodeUnit(ctx, withImage(desired, 'iguana', iguana.from), 'iguana');
    throw new PermanentError(
      `iguana (${iguana.unit}): upgrade to ${image} failed: ${cause}; rolled back to ${iguana.from}`,
    );
  }
  if (imageOfRole(desired, 'iguana') !== image) await recordImage(ctx, 'iguana', image);
}

/**
 * register: every chain that should be notarised registered with Iguana again, each under its lease
 * ("already registered" counts as done: Iguana's sidecar keeps its coins across a restart), then waited
 * for until Iguana itself has them (the sidecar's addcoin of a chain can fail once and is retried), up to
 * readyTimeoutMs. Chains still not registered then are returned, not failed: running the whole order
 * again would restart Iguana for a coin its sidecar is already retrying.
 */
export async function registerChains(run: NodeJobRun): Promise<{ registered: number; pending: string[] }> {
  const { deps, progress } = run;
  if (!deps.config.iguana) {
    await progress.enter('register', 'no Iguana configured: skipped');
    return { registered: 0, pending: [] };
  }
  await progress.enter('register', 'the chains with Iguana');
  const wanted = (await deps.state.chains.list()).filter(shouldBeRegistered);
  for (const chain of wanted) {
    const placement = chain.placement;
    if (!placement) continue;
    await withChainLease(run, chain.spec.id, async (ctx) => {
      const secrets = ctx.deps.secrets.chain(chain.spec.id, chain.spec.identity.acName);
      const outcome = await registerIguana(ctx, chain.spec, placement, undefined, secrets);
      await ctx.deps.state.chains.mutate(ctx.chainId, (c) =>
        c.status === 'ready' ? { statusReason: readyReason(outcome) } : undefined,
      );
    });
  }
  const pending = await untilIguanaHas(
    run,
    wanted.map((c) => c.spec.identity.iguanaName),
  );
  return { registered: wanted.length - pending.length, pending };
}

/** Polls Iguana's coins until every name is registered or readyTimeoutMs passes; the names still missing. */
async function untilIguanaHas(run: NodeJobRun, names: readonly string[]): Promise<string[]> {
  const { deps, progress, signal } = run;
  const deadline = Date.now() + deps.config.readyTimeoutMs;
  let missing = [...names];
  while (missing.length > 0) {
    const coins = await iguanaCoins(deps, signal);
    const done = new Set((coins ?? []).filter((c) => c.registered).map((c) => c.name));
    missing = names.filter((n) => !done.has(n));
    if (missing.length === 0 || Date.now() >= deadline) break;
    await progress.enter('register', `waiting for Iguana to register ${missing.join(', ')}`.slice(0, 200));
    await abortableSleep(deps.config.readyPollMs, signal);
  }
  await unitContext(run, 'node').checkpoint('chains registered');
  if (missing.length > 0) deps.log.warn({ missing }, 'Iguana has not registered every chain yet');
  return missing;
}

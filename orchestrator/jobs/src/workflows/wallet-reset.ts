import { type ChainRecord, PermanentError, type Placement } from '@nn/orchestrator-core';
import type { UnitHandle } from '@nn/runtime';
import { IguanaClient } from '@nn/sidecar-clients';
import type { ChainJobContext } from '../context.js';
import type { ChainSecrets } from '../secrets/secret-store.js';
import { prepareUnitFiles } from '../steps/prepare-unit-files.js';
import { type RegisterOutcome, readyReason, registerIguana } from '../steps/register-iguana.js';
import { waitReady } from '../steps/wait-ready.js';
import { chainUnitSpec } from '../unit/unit-spec.js';
import { chainResetFacts } from '../wallet/reset-plan.js';
import {
  importAndVerify,
  keptWallet,
  notedPlan,
  type ResetUnit,
  readNote,
  sendAndSetAside,
} from '../wallet/reset-steps.js';
import { requirePlacement } from './restart-chain.js';

/** What a finished reset reports (amounts in coins, as the daemon shows them). */
export interface WalletResetResult {
  readonly chainId: string;
  /** The old wallet, kept (never deleted), as a path inside the unit. */
  readonly walletBackup: string;
  readonly balanceBefore: number;
  readonly balanceAfter: number;
  readonly fee: number;
  readonly txid: string | null;
  readonly walletBytesBefore: number | null;
  readonly walletBytesAfter: number | null;
  readonly register: RegisterOutcome;
}

/**
 * chain.wallet-reset, the notary's wallet.dat chore (notary-facts §6): preflight (refuses an unsynced
 * daemon, an unconfirmed balance, too many outputs; records the plan) → unlock Iguana's locked outputs →
 * send the whole spendable balance to the notary address in one signed transaction kept in the notes
 * before broadcast → wait for its confirmation → graceful stop → set wallet.dat aside (renamed, never
 * deleted) → start (the daemon makes a fresh wallet.dat) → import the notary key, rescanning only from
 * the coinbase maturity below the start height (the self-send and any immature coinbase are there) → verify the new
 * wallet holds the self-send's output, else fail loudly with the old wallet kept → split → register.
 * Every step finds its work done on a re-run: the plan, the signed send and the move are in the notes.
 */
export async function walletReset(ctx: ChainJobContext): Promise<WalletResetResult> {
  const { state, config } = ctx.deps;
  const chain = await state.chains.get(ctx.chainId);
  const placement = requirePlacement(ctx, chain.placement);
  const notary = config.notary;
  if (!notary)
    throw new PermanentError(
      'no notary key is configured: a wallet reset sends the balance to the notary address',
    );
  const secrets = ctx.deps.secrets.chain(chain.spec.id, chain.spec.identity.acName);
  const unit: ResetUnit = {
    ctx,
    node: placement.node,
    volume: `${ctx.unit}-data`,
    operatorToken: secrets.operatorToken,
    viewerToken: secrets.viewerToken,
    flavour: 'komodo',
    start: () => startUnit(ctx, chain, placement),
  };
  if (!(await readNote(ctx, 'resetPlan')) && chain.status !== 'ready')
    throw new PermanentError(`the chain is ${chain.status}: a wallet reset starts from a ready chain`);
  const plan = await notedPlan(unit, () => chainResetFacts(ctx, chain.spec, notary.pubkey));
  await state.chains.mutate(ctx.chainId, () => ({ status: 'restarting', statusReason: 'wallet reset' }));
  const send = await sendAndSetAside(unit, plan);
  await ctx.progress.enter('start', 'with a fresh wallet.dat');
  const handle = await unit.start();
  const wif = ctx.deps.secrets.readExternal(notary.wifFile);
  const after = await importAndVerify(unit, handle, wif, plan, send);
  const register = await splitAndRegister(ctx, chain, placement, handle, secrets);
  await ctx.progress.enter('done');
  await state.chains.mutate(ctx.chainId, () => ({ status: 'ready', statusReason: readyReason(register) }));
  return {
    chainId: ctx.chainId,
    walletBackup: `${config.home.replace(/\/+$/, '')}/${await keptWallet(ctx, plan)}`,
    balanceBefore: plan.balance / 1e8,
    balanceAfter: after.balance / 1e8,
    fee: (send?.fee ?? 0) / 1e8,
    txid: send?.txid ?? null,
    walletBytesBefore: plan.walletBytes,
    walletBytesAfter: after.walletBytes,
    register,
  };
}

/** Deploys the unit as the chain's spec says (a no-op on a running one) and waits until it is ready. */
async function startUnit(
  ctx: ChainJobContext,
  chain: ChainRecord,
  placement: Placement,
): Promise<UnitHandle> {
  const spec = chainUnitSpec(chain.spec, placement, ctx.deps.config);
  const { unit } = await prepareUnitFiles(ctx, chain.spec, spec, 'start');
  const handle = await ctx.deps.runtime.deployUnit(unit);
  await waitReady(ctx, handle);
  return handle;
}

async function splitAndRegister(
  ctx: ChainJobContext,
  chain: ChainRecord,
  placement: Placement,
  handle: UnitHandle,
  secrets: ChainSecrets,
): Promise<RegisterOutcome> {
  const iguana = ctx.deps.config.iguana;
  await ctx.progress.enter(
    'split',
    iguana?.splitUtxos ? `${iguana.splitUtxos} notary UTXOs` : 'no split configured',
  );
  if (iguana && iguana.splitUtxos > 0) {
    const client = new IguanaClient(
      iguana.url,
      ctx.deps.secrets.readExternal(iguana.operatorTokenFile),
      ctx.deps.config.httpTimeoutMs,
    );
    // The chain may not be registered (yet, or any more): the status poller's top-up splits it later.
    await client
      .split(chain.spec.identity.iguanaName, iguana.splitUtxos, ctx.signal)
      .catch((err: unknown) => {
        ctx.log.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'split after wallet reset failed',
        );
      });
  }
  return registerIguana(ctx, chain.spec, placement, handle, secrets);
}

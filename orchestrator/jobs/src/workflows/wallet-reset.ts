import { type ChainRecord, PermanentError, type Placement } from '@nn/orchestrator-core';
import type { UnitHandle } from '@nn/runtime';
import { IguanaClient, SidecarClient } from '@nn/sidecar-clients';
import type { ChainJobContext } from '../context.js';
import type { ChainSecrets } from '../secrets/secret-store.js';
import { prepareUnitFiles } from '../steps/prepare-unit-files.js';
import { type RegisterOutcome, readyReason, registerIguana } from '../steps/register-iguana.js';
import { stopUnitStep } from '../steps/stop-unit.js';
import { sidecarUrlOf, waitReady } from '../steps/wait-ready.js';
import { chainUnitSpec } from '../unit/unit-spec.js';
import { planReset, type ResetPlan } from '../wallet/reset-plan.js';
import { type SelfSend, selfSend } from '../wallet/self-send.js';
import { WalletRpc } from '../wallet/wallet-rpc.js';
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
  let plan = await readNote<ResetPlan>(ctx, 'resetPlan');
  let handle: UnitHandle | undefined;
  if (!plan) {
    if (chain.status !== 'ready')
      throw new PermanentError(`the chain is ${chain.status}: a wallet reset starts from a ready chain`);
    await ctx.progress.enter('preflight', 'synced, balance confirmed, outputs countable');
    const url = await sidecarUrlOf(ctx);
    const status = await new SidecarClient(url, config.httpTimeoutMs).status(secrets.viewerToken, ctx.signal);
    const rpc = WalletRpc.at(url, secrets.operatorToken, config.httpTimeoutMs, ctx.signal);
    const fresh = await planReset(ctx, chain.spec, rpc, status, notary.pubkey);
    plan = JSON.parse(await ctx.notes.setOnce('resetPlan', JSON.stringify(fresh))) as ResetPlan;
  }
  await state.chains.mutate(ctx.chainId, () => ({ status: 'restarting', statusReason: 'wallet reset' }));

  let send: SelfSend | null = null;
  if ((await ctx.notes.get('walletMoved')) === undefined) {
    handle = await startUnit(ctx, chain, placement);
    send = await sendAll(ctx, handle, secrets, plan);
    await setAside(ctx, placement, plan);
  } else {
    send = await readNote<SelfSend>(ctx, 'resetSend');
  }
  await ctx.progress.enter('start', 'with a fresh wallet.dat');
  handle = await startUnit(ctx, chain, placement);
  const after = await importAndVerify(ctx, handle, secrets, notary.wifFile, plan, send);
  const register = await splitAndRegister(ctx, chain, placement, handle, secrets);
  await ctx.progress.enter('done');
  await state.chains.mutate(ctx.chainId, () => ({ status: 'ready', statusReason: readyReason(register) }));
  return {
    chainId: ctx.chainId,
    walletBackup: `${config.home.replace(/\/+$/, '')}/${plan.backup}`,
    balanceBefore: plan.balance / 1e8,
    balanceAfter: after.balance / 1e8,
    fee: (send?.fee ?? 0) / 1e8,
    txid: send?.txid ?? null,
    walletBytesBefore: plan.walletBytes,
    walletBytesAfter: after.walletBytes,
    register,
  };
}

async function readNote<T>(ctx: ChainJobContext, name: 'resetPlan' | 'resetSend'): Promise<T | null> {
  const raw = await ctx.notes.get(name);
  return raw === undefined ? null : (JSON.parse(raw) as T);
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

async function sendAll(
  ctx: ChainJobContext,
  handle: UnitHandle,
  secrets: ChainSecrets,
  plan: ResetPlan,
): Promise<SelfSend | null> {
  const { config } = ctx.deps;
  const rpc = WalletRpc.at(
    await sidecarUrlOf(ctx, handle),
    secrets.operatorToken,
    config.httpTimeoutMs,
    ctx.signal,
  );
  await ctx.progress.enter('unlock', 'outputs Iguana holds locked');
  await rpc.unlockAll();
  await ctx.progress.enter('send-to-self', `the whole spendable balance to ${plan.address}`);
  const send = await selfSend(rpc, ctx.notes, 'resetSend', plan.address, () => rpc.unspent(1));
  await ctx.checkpoint('sent');
  await ctx.progress.enter('confirm', send ? send.txid : 'nothing to send');
  if (send) await rpc.waitConfirmed(send.txid, config.readyTimeoutMs, config.readyPollMs);
  await stopUnitStep(ctx);
  return send;
}

async function setAside(ctx: ChainJobContext, placement: Placement, plan: ResetPlan): Promise<void> {
  await ctx.progress.enter('set-aside', `${plan.wallet} → ${plan.backup}`);
  const outcome = await ctx.deps.runtime.moveFile(
    placement.node,
    `${ctx.unit}-data`,
    plan.wallet,
    plan.backup,
  );
  if (outcome === 'missing')
    throw new PermanentError(`no ${plan.wallet} in the chain's volume: nothing to set aside`);
  // target-exists: set aside by an earlier run whose daemon then started once with a fresh wallet.
  await ctx.notes.set('walletMoved', outcome);
  await ctx.checkpoint('set aside');
}

async function importAndVerify(
  ctx: ChainJobContext,
  handle: UnitHandle,
  secrets: ChainSecrets,
  wifFile: string,
  plan: ResetPlan,
  send: SelfSend | null,
): Promise<{ balance: number; walletBytes: number | null }> {
  const { config } = ctx.deps;
  const url = await sidecarUrlOf(ctx, handle);
  const rpc = WalletRpc.at(url, secrets.operatorToken, config.httpTimeoutMs, ctx.signal);
  await ctx.progress.enter('import-key', `rescan from height ${plan.rescanFrom}`);
  const wif = ctx.deps.secrets.readExternal(wifFile);
  // komodod's importprivkey takes the height to rescan from: only the blocks since the reset began.
  // A rescan answers only when done, so this one call may take as long as a readiness wait.
  const rescan = WalletRpc.at(url, secrets.operatorToken, config.readyTimeoutMs, ctx.signal);
  await rescan.call('importprivkey', [wif, '', true, plan.rescanFrom]);
  await ctx.checkpoint('imported');
  await ctx.progress.enter('verify', send ? `output ${send.txid}:0 in the new wallet` : 'empty wallet');
  const info = await rpc.info();
  if (send) {
    const held = (await rpc.unspent(0)).some((u) => u.txid === send.txid && u.vout === 0);
    if (!held || info.balance + info.immature < send.amount)
      throw new PermanentError(
        `the new wallet does not hold the reset's ${send.amount / 1e8} (sees ${(info.balance + info.immature) / 1e8}): the old wallet is kept at ${plan.backup}; import it back before anything else`,
      );
  }
  const status = await new SidecarClient(url, config.httpTimeoutMs).status(secrets.viewerToken, ctx.signal);
  return { balance: info.balance, walletBytes: status.walletBytes };
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

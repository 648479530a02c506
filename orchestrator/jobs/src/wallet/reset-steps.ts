import { PermanentError } from '@nn/orchestrator-core';
import type { UnitHandle } from '@nn/runtime';
import { SidecarClient } from '@nn/sidecar-clients';
import type { ChainJobContext } from '../context.js';
import { stopUnitStep } from '../steps/stop-unit.js';
import { sidecarUrlOf } from '../steps/wait-ready.js';
import type { ResetFacts, ResetPlan } from './reset-plan.js';
import { planReset } from './reset-plan.js';
import { type SelfSend, selfSend } from './self-send.js';
import { type WalletFlavour, type WalletInfo, WalletRpc } from './wallet-rpc.js';

// The steps every wallet reset shares, whichever unit it resets (an assetchain, the main chain): the
// unit is `ctx.unit`, its notes and checkpoints are the job's. What differs per unit (how it is
// started, its tokens, where its wallet.dat is) comes in a ResetUnit.

/** The unit a wallet reset works on. */
export interface ResetUnit {
  /** The context the steps run in: its `unit` is the unit's name, its notes the job's. */
  readonly ctx: ChainJobContext;
  /** The engine the unit runs on and its data volume (wallet.dat is set aside inside it). */
  readonly node: string;
  readonly volume: string;
  /** The unit's sidecar tokens: the operator's spends and imports, the viewer's reads status. */
  readonly operatorToken: string;
  readonly viewerToken: string;
  /** What the daemon speaks: how it signs, imports a key and loads its wallet. */
  readonly flavour: WalletFlavour;
  /** Deploys the unit as its desired state says (a no-op on a running one) and waits until it is ready. */
  start(): Promise<UnitHandle>;
}

export async function readNote<T>(ctx: ChainJobContext, name: 'resetPlan' | 'resetSend'): Promise<T | null> {
  const raw = await ctx.notes.get(name);
  return raw === undefined ? null : (JSON.parse(raw) as T);
}

const rpcOf = (u: ResetUnit, url: string, timeoutMs = u.ctx.deps.config.httpTimeoutMs) =>
  WalletRpc.at(url, u.operatorToken, timeoutMs, u.ctx.signal, u.flavour);

/** preflight, once: the plan from the running unit, noted; a re-run reads the note. */
export async function notedPlan(u: ResetUnit, facts: (info: WalletInfo) => ResetFacts): Promise<ResetPlan> {
  const kept = await readNote<ResetPlan>(u.ctx, 'resetPlan');
  if (kept) return kept;
  const { ctx } = u;
  await ctx.progress.enter('preflight', 'synced, balance confirmed, outputs countable');
  const url = await sidecarUrlOf(ctx);
  const client = new SidecarClient(url, ctx.deps.config.httpTimeoutMs);
  const status = await client.status(u.viewerToken, ctx.signal);
  const fresh = await planReset(rpcOf(u, url), status, facts);
  return JSON.parse(await ctx.notes.setOnce('resetPlan', JSON.stringify(fresh))) as ResetPlan;
}

/**
 * unlock → send-to-self → confirm → stop → set-aside, skipped as a whole once the wallet was set aside
 * (a re-run then reads the noted send). The unit is started first: a crash may have left it stopped.
 */
export async function sendAndSetAside(u: ResetUnit, plan: ResetPlan): Promise<SelfSend | null> {
  const { ctx } = u;
  if ((await ctx.notes.get('walletMoved')) !== undefined) return readNote<SelfSend>(ctx, 'resetSend');
  const handle = await u.start();
  const { config } = ctx.deps;
  const rpc = rpcOf(u, await sidecarUrlOf(ctx, handle));
  await ctx.progress.enter('unlock', 'outputs Iguana holds locked');
  await rpc.unlockAll();
  await ctx.progress.enter('send-to-self', `the whole spendable balance to ${plan.address}`);
  const send = await selfSend(
    rpc,
    ctx.notes,
    'resetSend',
    plan.address,
    () => rpc.unspent(1),
    () => ctx.checkpoint('signed'),
  );
  await ctx.checkpoint('sent');
  await ctx.progress.enter('confirm', send ? send.txid : 'nothing to send');
  if (send) await rpc.waitConfirmed(send.txid, config.readyTimeoutMs, config.readyPollMs);
  await ctx.checkpoint('confirmed');
  await stopUnitStep(ctx);
  await setAside(u, plan);
  return send;
}

async function setAside(u: ResetUnit, plan: ResetPlan): Promise<void> {
  const { ctx } = u;
  await ctx.progress.enter('set-aside', `${plan.wallet} → ${plan.backup}`);
  const suffix = plan.backup.slice(plan.wallet.length);
  for (const wallet of [plan.wallet, ...(plan.alsoAt ?? [])]) {
    const backup = `${wallet}${suffix}`;
    const outcome = await ctx.deps.runtime.moveFile(u.node, u.volume, wallet, backup);
    if (outcome === 'missing') continue;
    // target-exists: set aside by an earlier run whose daemon then started once with a fresh wallet.
    await ctx.notes.set('walletBackup', backup);
    await ctx.notes.set('walletMoved', outcome);
    await ctx.checkpoint('set aside');
    return;
  }
  throw new PermanentError(
    `no wallet at ${[plan.wallet, ...(plan.alsoAt ?? [])].join(' or ')} in the unit's volume: nothing to set aside`,
  );
}

/** Where the old wallet was kept, relative to the volume's root. */
export async function keptWallet(ctx: ChainJobContext, plan: ResetPlan): Promise<string> {
  return (await ctx.notes.get('walletBackup')) ?? plan.backup;
}

/**
 * import-key → verify, on the started unit with its fresh wallet.dat. The rescan covers only the blocks
 * since the reset began (WalletRpc.importKey: one call on komodod, importprivkey then rescanblockchain
 * on Bitcoin Core, whose fresh start has no wallet until one is created under the old one's name).
 */
export async function importAndVerify(
  u: ResetUnit,
  handle: UnitHandle,
  wif: string,
  plan: ResetPlan,
  send: SelfSend | null,
): Promise<{ balance: number; walletBytes: number | null }> {
  const { ctx } = u;
  const { config } = ctx.deps;
  const url = await sidecarUrlOf(ctx, handle);
  const rpc = rpcOf(u, url);
  await ctx.progress.enter('import-key', `rescan from height ${plan.rescanFrom}`);
  if (u.flavour === 'bitcoin') await rpc.ensureWallet(plan.walletName ?? '');
  // A rescan answers only when done, so this one call may take as long as a readiness wait.
  await rpcOf(u, url, config.readyTimeoutMs).importKey(wif, plan.rescanFrom);
  await ctx.checkpoint('imported');
  await ctx.progress.enter('verify', send ? `output ${send.txid}:0 in the new wallet` : 'empty wallet');
  const info = await rpc.info();
  if (send) {
    const held = (await rpc.unspent(0)).some((o) => o.txid === send.txid && o.vout === 0);
    if (!held || info.balance + info.immature < send.amount)
      throw new PermanentError(
        `the new wallet does not hold the reset's ${send.amount / 1e8} (sees ${(info.balance + info.immature) / 1e8}): the old wallet is kept at ${await keptWallet(ctx, plan)}; import it back before anything else`,
      );
  }
  const status = await new SidecarClient(url, config.httpTimeoutMs).status(u.viewerToken, ctx.signal);
  return { balance: info.balance, walletBytes: status.walletBytes };
}

import { type ChainRecord, type ChainStatus, PermanentError } from '@nn/orchestrator-core';
import type { ChainJobContext } from '../context.js';

/** Statuses of a chain no job has brought up yet: anything else is a redeploy of a running chain. */
const NEW_CHAIN: readonly ChainStatus[] = ['requested', 'placed', 'failed'];

/**
 * validate: the chain exists and is not being removed, and the operator's secret files this job will
 * need are there (0600) now rather than after a unit is up. Records whether the chain was already
 * running before this job (first observation wins across re-runs): its rollback then leaves it alone.
 */
export async function validateChain(ctx: ChainJobContext): Promise<ChainRecord> {
  await ctx.progress.enter('validate');
  const { state, config, secrets } = ctx.deps;
  const chain = await state.chains.get(ctx.chainId);
  if (chain.status === 'removing') throw new PermanentError(`chain ${ctx.chainId} is being removed`);
  if (config.notary) secrets.readExternal(config.notary.wifFile);
  if (config.kmd) secrets.readExternal(config.kmd.viewerTokenFile);
  if (config.iguana) secrets.readExternal(config.iguana.operatorTokenFile);
  await ctx.notes.setOnce('existingChain', NEW_CHAIN.includes(chain.status) ? '0' : '1');
  if (chain.status === 'failed')
    await state.chains.mutate(ctx.chainId, (c) =>
      c.status === 'failed' ? { status: 'requested', statusReason: null } : undefined,
    );
  await ctx.checkpoint('validated');
  return state.chains.get(ctx.chainId);
}

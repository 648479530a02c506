import type { ChainSpec } from '@nn/orchestrator-core';
import type { UnitHandle } from '@nn/runtime';
import { SidecarClient } from '@nn/sidecar-clients';
import type { ChainJobContext } from '../context.js';
import type { ChainSecrets } from '../secrets/secret-store.js';
import { sidecarUrlOf } from './wait-ready.js';

/**
 * import-key: `importprivkey <wif> "" false` (no rescan: a fresh notary wallet has nothing to find, and
 * a rescan of a long chain takes hours) through the sidecar with the operator token; importing a key the
 * wallet has is a no-op in komodod, so a re-run is safe. Staking chains then need `setgenerate true 0`
 * (dPoW's assets scripts do the same). Skipped when no notary key is configured.
 */
export async function importKey(
  ctx: ChainJobContext,
  spec: ChainSpec,
  handle: UnitHandle | undefined,
  secrets: ChainSecrets,
): Promise<boolean> {
  const { config } = ctx.deps;
  if (!config.notary) {
    await ctx.progress.enter('import-key', 'no notary key configured: skipped');
    return false;
  }
  await ctx.progress.enter('import-key', 'importprivkey without rescan');
  const wif = ctx.deps.secrets.readExternal(config.notary.wifFile);
  const client = new SidecarClient(await sidecarUrlOf(ctx, handle), config.httpTimeoutMs);
  await client.rpc(secrets.operatorToken, 'importprivkey', [wif, '', false], ctx.signal);
  await ctx.checkpoint('imported');
  if (spec.entry.ac_staked !== undefined)
    await client.rpc(secrets.operatorToken, 'setgenerate', [true, 0], ctx.signal);
  return true;
}

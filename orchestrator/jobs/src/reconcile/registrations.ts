import type { ChainRecord } from '@nn/orchestrator-core';
import { IguanaClient, type IguanaCoinView } from '@nn/sidecar-clients';
import type { JobsDeps } from '../context.js';
import { readyReason } from '../steps/register-iguana.js';

// Iguana's coin list as desired state: every chain that should be notarised (ready, dPoW not off) is a
// coin Iguana's sidecar lists. An Iguana unit (or its sidecar) that restarted comes back with none, so
// the sweep compares the two on every pass (diffChain) and the chains missing get a reconcile that
// registers them again. A coin the sidecar lists but Iguana has not registered since its own restart is
// the sidecar's to register again (its start-up sequence does), so listed counts as there.

/** Chains that should be registered with Iguana: ready, and dPoW not off. Pure: tested alone. */
export function shouldBeRegistered(chain: ChainRecord): boolean {
  return chain.status === 'ready' && (chain.statusReason ?? null) !== readyReason('dpow-off');
}

/** Iguana's coins, or undefined when no Iguana is configured or it does not answer (it is being repaired). */
export async function iguanaCoins(
  deps: JobsDeps,
  signal?: AbortSignal,
): Promise<IguanaCoinView[] | undefined> {
  const iguana = deps.config.iguana;
  if (!iguana) return undefined;
  try {
    const client = new IguanaClient(
      iguana.url,
      deps.secrets.readExternal(iguana.operatorTokenFile),
      deps.config.httpTimeoutMs,
    );
    return await client.coins(signal);
  } catch (err) {
    deps.log.debug({ err: err instanceof Error ? err.message : String(err) }, 'Iguana coins not read');
    return undefined;
  }
}

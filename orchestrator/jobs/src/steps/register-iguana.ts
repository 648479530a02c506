import { type ChainSpec, DependencyDownError, type Placement, TransientError } from '@nn/orchestrator-core';
import type { UnitHandle } from '@nn/runtime';
import { type AddCoinOutcome, IguanaClient, SidecarClient } from '@nn/sidecar-clients';
import type { ChainJobContext } from '../context.js';
import type { ChainSecrets } from '../secrets/secret-store.js';
import { SIDECAR_API_PORT, unitPaths } from '../unit/unit-paths.js';
import { sidecarUrlOf } from './wait-ready.js';

/** The register step's outcome: Iguana's, or why nothing was registered. */
export type RegisterOutcome = AddCoinOutcome | 'skipped' | 'dpow-off';

/** The chain's status reason once the job is done: says so where dPoW is off, else none. */
export function readyReason(outcome: RegisterOutcome): string | null {
  return outcome === 'dpow-off' ? 'dpow: off' : null;
}

/** Where the chain's operator token for Iguana sits in the Iguana unit's volume. */
export const iguanaTokenPath = (chainId: string): string => `nn/coins/${chainId}.token`;

/**
 * register: the chain's operator token goes into the Iguana unit's volume (the Iguana sidecar's bridge
 * presents it to the chain's sidecar), then POST /v1/coins. An Iguana on the same node reaches the
 * chain's sidecar by its name on the cluster network, one on another node at the published endpoint.
 * "Already registered" counts as done. Skipped when no Iguana is configured, and never done for a chain
 * whose daemon says dPoW is off (komodod v0.9.2 past its sunset): nothing would notarise it.
 */
export async function registerIguana(
  ctx: ChainJobContext,
  spec: ChainSpec,
  placement: Placement,
  handle: UnitHandle | undefined,
  secrets: ChainSecrets,
): Promise<RegisterOutcome> {
  const { config, runtime } = ctx.deps;
  const iguana = config.iguana;
  if (!iguana) {
    await ctx.progress.enter('register', 'no Iguana configured: skipped');
    return 'skipped';
  }
  const status = await new SidecarClient(await sidecarUrlOf(ctx, handle), config.httpTimeoutMs).status(
    secrets.viewerToken,
    ctx.signal,
  );
  if (status.dpowActive === false) {
    await ctx.progress.enter(
      'register',
      `dpow: off (the daemon reports dPoW ended for ${spec.identity.iguanaName}): not registered with Iguana`,
    );
    return 'dpow-off';
  }
  await ctx.progress.enter('register', `${spec.identity.iguanaName} with Iguana`);
  const h = handle ?? (await runtime.inspectUnit(ctx.unit));
  const upstream =
    iguana.node === placement.node || !h.endpoint
      ? `http://${ctx.unit}-sidecar:${SIDECAR_API_PORT}`
      : h.endpoint;
  await runtime.putFiles(iguana.node, iguana.volume, [
    { path: iguanaTokenPath(spec.id), content: `${secrets.operatorToken}\n`, mode: 0o600 },
  ]);
  await ctx.checkpoint('token placed');
  const client = new IguanaClient(
    iguana.url,
    ctx.deps.secrets.readExternal(iguana.operatorTokenFile),
    config.httpTimeoutMs,
  );
  const outcome = await iguanaCall(() =>
    client.addCoin(
      {
        kind: 'assetchain',
        name: spec.identity.iguanaName,
        upstream,
        tokenFile: `${iguana.mountPath.replace(/\/+$/, '')}/${iguanaTokenPath(spec.id)}`,
        assetchain: spec.entry,
        // Iguana reads the conf where the network's daemon keeps it (~/.kmdclassic/PIRATE/PIRATE.conf).
        ...(config.kmd?.datadir ? { confPath: unitPaths(spec, iguana.mountPath, config.kmd).conf } : {}),
      },
      ctx.signal,
    ),
  );
  await ctx.notes.set('registered', '1');
  await ctx.checkpoint('registered');
  if (iguana.splitUtxos > 0 && outcome !== 'exists')
    await client.split(spec.identity.iguanaName, iguana.splitUtxos, ctx.signal).catch((err: unknown) => {
      ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'split after register failed');
    });
  return outcome;
}

/**
 * An Iguana sidecar that does not answer, or answers 5xx, is down (restarting, being brought back by
 * reconcile): the job waits for it rather than failing. Its 4xx answers stay what they are.
 */
export async function iguanaCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof TransientError && !(err instanceof DependencyDownError))
      throw new DependencyDownError('iguana', `Iguana: ${err.message}`, { cause: err });
    throw err;
  }
}

/** deregister: DELETE /v1/coins/<name>; a coin that is not there counts as done. */
export async function deregisterIguana(ctx: ChainJobContext, spec: ChainSpec): Promise<void> {
  const iguana = ctx.deps.config.iguana;
  if (!iguana) return;
  const client = new IguanaClient(
    iguana.url,
    ctx.deps.secrets.readExternal(iguana.operatorTokenFile),
    ctx.deps.config.httpTimeoutMs,
  );
  await client.removeCoin(spec.identity.iguanaName, ctx.signal);
}

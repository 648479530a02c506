import type { ChainId, ChainStatus, NodeWalletTarget } from '@nn/orchestrator-core';
import type { LiveSubject } from '@nn/orchestrator-state';
import type { JobsDeps } from '../context.js';
import type { JobQueue } from '../queues.js';
import { readNodeUnitsDesired } from '../reconcile/node-units.js';

/** A bloated wallet's reset is asked for at most this often (cluster-wide), per chain or node target. */
export const RESET_EVERY_MS = 3_600_000;

/** What the status poller queues when a wallet.dat passes `walletResetBytes`. */
export interface WalletResetChores {
  /** chain.wallet-reset (trigger auto) of an assetchain. */
  readonly resetWallet?: (chainId: ChainId) => Promise<unknown>;
  /**
   * node.wallet-reset (trigger auto) of the main chain or the destination; resolves to the job's id,
   * which is the other target's when that one's reset waits or runs (one at a time on a node).
   */
  readonly resetNodeWallet?: (target: NodeWalletTarget) => Promise<string>;
}

/** The workers' chores: the resets queued with trigger auto, by the status poller. */
export function autoResetChores(queue: JobQueue): WalletResetChores {
  return {
    resetWallet: (chainId) => queue.resetWallet(chainId, 'auto', 'status-poller'),
    resetNodeWallet: (target) => queue.resetNodeWallet(target, 'status-poller', 'auto'),
  };
}

type Polled = readonly [LiveSubject, Record<string, unknown> | null];

/** The node's own units whose wallets a node.wallet-reset resets, by their live subject. */
const NODE_TARGETS: Readonly<Record<string, NodeWalletTarget>> = { kmd: 'main', ltc: 'destination' };

/**
 * wallet.dat grows with every notarisation: a ready chain past the threshold gets a reset, queued once
 * (the queue keeps one reset per chain waiting or running) and asked for at most once an hour per chain
 * in the whole cluster, so a reset that fails is not queued again every round. The main chain's and the
 * destination's wallets the same way, once their daemon says synced (the reset's preflight needs it) and
 * the node units are recorded with that chain (what the node wallet reset works on).
 */
export async function resetBloatedWallets(
  deps: JobsDeps,
  chores: WalletResetChores,
  chains: ReadonlyArray<{ spec: { id: ChainId }; status: ChainStatus }>,
  polled: readonly Polled[],
): Promise<void> {
  const threshold = deps.config.walletResetBytes;
  if (threshold === 0) return;
  const byId = new Map(chains.map((c) => [c.spec.id as string, c]));
  for (const [subject, status] of polled) {
    const bytes = status?.walletBytes;
    if (!status || typeof bytes !== 'number' || bytes <= threshold) continue;
    if ('chain' in subject) {
      const chain = byId.get(subject.chain);
      if (chores.resetWallet && chain?.status === 'ready')
        await resetChain(deps, chores.resetWallet, chain.spec.id, bytes);
      continue;
    }
    const target = NODE_TARGETS[subject.base];
    if (chores.resetNodeWallet && target && status.synced === true && status.rpc === 'ok')
      await resetNode(deps, chores.resetNodeWallet, target, bytes);
  }
}

async function resetChain(
  deps: Pick<JobsDeps, 'state' | 'log'>,
  resetWallet: (chainId: ChainId) => Promise<unknown>,
  chainId: ChainId,
  walletBytes: number,
): Promise<void> {
  if (!(await deps.state.chores.claim(`wallet-reset:${chainId}`, RESET_EVERY_MS).catch(() => false))) return;
  await resetWallet(chainId).then(
    () => deps.log.info({ chainId, walletBytes }, 'wallet reset queued'),
    (err: unknown) =>
      deps.log.warn(
        { chainId, err: err instanceof Error ? err.message : String(err) },
        'wallet reset not queued',
      ),
  );
}

async function resetNode(
  deps: JobsDeps,
  resetNodeWallet: (target: NodeWalletTarget) => Promise<string>,
  target: NodeWalletTarget,
  walletBytes: number,
): Promise<void> {
  // As the route refuses: no recorded node units (a test's bare KMD unit), or none with a destination.
  const desired = await readNodeUnitsDesired(deps).catch(() => undefined);
  if (!desired || (target === 'destination' && !desired.layout.daemons.destination)) return;
  if (!(await deps.state.chores.claim(`node-wallet-reset:${target}`, RESET_EVERY_MS).catch(() => false)))
    return;
  await resetNodeWallet(target).then(
    (jobId) =>
      // The other target's reset waiting or running: this one is asked again once the claim expires.
      jobId.startsWith(`node-wallet-reset-${target}-`)
        ? deps.log.info({ target, walletBytes, jobId }, 'node wallet reset queued')
        : deps.log.info(
            { target, walletBytes, jobId },
            'node wallet reset not queued: another node wallet reset waits or runs; asked again in an hour',
          ),
    (err: unknown) =>
      deps.log.warn(
        { target, err: err instanceof Error ? err.message : String(err) },
        'node wallet reset not queued',
      ),
  );
}

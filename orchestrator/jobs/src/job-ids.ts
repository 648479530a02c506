import { randomBytes } from 'node:crypto';
import { JOB_NAMES, type JobName } from '@nn/orchestrator-core';

/** The first part of a job id: what the job does (`sweep` is a reconcile of every chain). */
export type JobKind =
  | 'add'
  | 'remove'
  | 'restart'
  | 'upgrade'
  | 'wallet-reset'
  | 'consolidate'
  | 'reconcile'
  | 'drain'
  | 'move'
  | 'node-upgrade'
  | 'node-wallet-reset'
  | 'node-consolidate'
  | 'sweep'
  | 'season';

const KIND_OF: Readonly<Record<JobName, JobKind>> = {
  [JOB_NAMES.chainAdd]: 'add',
  [JOB_NAMES.chainRemove]: 'remove',
  [JOB_NAMES.chainRestart]: 'restart',
  [JOB_NAMES.chainUpgrade]: 'upgrade',
  [JOB_NAMES.chainWalletReset]: 'wallet-reset',
  [JOB_NAMES.chainConsolidate]: 'consolidate',
  [JOB_NAMES.reconcile]: 'reconcile',
  [JOB_NAMES.nodeDrain]: 'drain',
  [JOB_NAMES.chainMove]: 'move',
  [JOB_NAMES.nodeUpgrade]: 'node-upgrade',
  [JOB_NAMES.nodeWalletReset]: 'node-wallet-reset',
  [JOB_NAMES.nodeConsolidate]: 'node-consolidate',
  [JOB_NAMES.seasonApply]: 'season',
};

export function jobKindOf(name: JobName): JobKind {
  return KIND_OF[name];
}

/**
 * The one job-id scheme of the orchestrator's queue, whoever queues the job (API, sweep, reconcile):
 * `<kind>-<chain id>-<ms since the epoch, base 36><3 random bytes, hex>`, e.g. `add-ccl-mi6x0k2b9f0c2e`;
 * a sweep, which has no chain, is `sweep-<stamp>`. Readable in `nnctl jobs`, unique without a counter
 * (BullMQ ignores an add whose id exists, so ids must not repeat), and free of ':', BullMQ's key
 * separator, so an id is also a safe pending-marker value. At most 12 + 1 + 63 + 1 + 14 characters, well
 * inside the 128 that readJob accepts.
 */
export function jobIdFor(kind: JobKind, chainId?: string): string {
  const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  return chainId === undefined ? `${kind}-${stamp}` : `${kind}-${chainId}-${stamp}`;
}

/**
 * The deduplication id of a chain job that is queued at most once while one waits or runs (BullMQ
 * deduplication, until the job completes or fails): two `chain rm` in a row make one removal.
 */
export function dedupeIdFor(kind: JobKind, chainId: string): string {
  return `${kind}-${chainId}`;
}

/**
 * The id of a chain job a season change queues: the chain job's kind and chain, and the season job's
 * own stamp (`add-ccl-<stamp of season-<stamp>>`), so a season step run again after a crash queues the
 * same ids, which BullMQ ignores, instead of a second job per chain.
 */
export function seasonChainJobId(
  kind: 'add' | 'remove' | 'upgrade',
  chainId: string,
  seasonJobId: string,
): string {
  const stamp = seasonJobId.startsWith('season-') ? seasonJobId.slice('season-'.length) : seasonJobId;
  return `${kind}-${chainId}-${stamp}`;
}

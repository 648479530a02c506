import { setMaxListeners } from 'node:events';
import type { ChainId } from '@nn/orchestrator-core';
import { TransientError } from '@nn/orchestrator-core';
import { abortableSleep } from '@nn/shared';
import type { Job } from 'bullmq';
import type { ChainJobContext, JobsDeps } from '../../context.js';
import { JobNotes } from '../../job-notes.js';
import { StepProgress } from '../../progress.js';
import { unitNameOf } from '../../unit/unit-name.js';

// The node job's contexts. The shared steps (stop, deploy, wait-ready, register) take a ChainJobContext;
// a node unit has no chain, so its context carries the unit's name where a chain id would be (only the
// test hooks and the logs read it). Every context of one run shares the job's progress and signal.

/** The jobs run under the node units' lease. */
export type NodeJobName = 'node.upgrade' | 'node.wallet-reset' | 'node.consolidate';

/** One run of the node job: what every unit's context is made from. */
export interface NodeJobRun {
  readonly deps: JobsDeps;
  readonly job: Job;
  readonly name: NodeJobName;
  readonly progress: StepProgress;
  readonly notes: JobNotes;
  /** Aborted when the node units' lease is lost. */
  readonly signal: AbortSignal;
}

export function nodeJobRun(
  deps: JobsDeps,
  job: Job,
  signal: AbortSignal,
  name: NodeJobName = 'node.upgrade',
): NodeJobRun {
  const id = job.id ?? 'unknown';
  setMaxListeners(1000, signal);
  const log = deps.log.child({ jobId: id, job: name });
  return {
    deps,
    job,
    name,
    progress: new StepProgress(job, name, log),
    notes: JobNotes.for(deps.redis, deps.state.keys.prefix, deps.config.queueName, id),
    signal,
  };
}

function contextOf(
  run: NodeJobRun,
  subject: string,
  unit: string,
  notes: JobNotes,
  signal: AbortSignal,
): ChainJobContext {
  const { deps, progress } = run;
  const jobId = run.job.id ?? 'unknown';
  return {
    deps,
    job: { id: jobId, name: run.name },
    chainId: subject as ChainId,
    unit,
    progress,
    notes,
    signal,
    log: deps.log.child({ jobId, job: run.name, unit }),
    async checkpoint(point: string) {
      await deps.hooks?.at?.({ job: run.name, step: progress.step ?? '', point, chainId: subject });
      signal.throwIfAborted();
    },
  };
}

/** A node unit's context (destination, main, Iguana): the job's own notes. */
export function unitContext(run: NodeJobRun, unit: string): ChainJobContext {
  return contextOf(run, unit, unit, run.notes, run.signal);
}

/**
 * A chain's context inside the node job, under that chain's lease: its own notes (chain.upgrade notes
 * `previousImage` per chain), the job's progress, both leases' signals.
 */
export function chainContext(run: NodeJobRun, chainId: string, leaseSignal: AbortSignal): ChainJobContext {
  const jobId = run.job.id ?? 'unknown';
  const { deps } = run;
  const notes = JobNotes.for(
    deps.redis,
    deps.state.keys.prefix,
    deps.config.queueName,
    `${jobId}/${chainId}`,
  );
  const signal = AbortSignal.any([run.signal, leaseSignal]);
  setMaxListeners(1000, signal);
  return contextOf(run, chainId, unitNameOf(deps.config.unitPrefix, chainId), notes, signal);
}

/**
 * `work` under the chain's lease (at most one job works on a chain, this one included). A chain another
 * job holds is waited for, up to readyTimeoutMs: the node job is in the middle of its order and cannot
 * skip a daemon it planned.
 */
export async function withChainLease<T>(
  run: NodeJobRun,
  chainId: string,
  work: (ctx: ChainJobContext) => Promise<T>,
): Promise<T> {
  const { config, state } = run.deps;
  const deadline = Date.now() + config.readyTimeoutMs;
  for (;;) {
    let started = false;
    try {
      return await state.leases.withLease(
        chainId,
        { ttlMs: config.leaseTtlMs, owner: `job-${run.job.id ?? 'unknown'}` },
        (_lease, signal) => {
          started = true;
          return work(chainContext(run, chainId, signal));
        },
      );
    } catch (err) {
      if (started || !(err instanceof TransientError) || Date.now() >= deadline) throw err;
      await abortableSleep(config.busyDelayMs, run.signal);
    }
  }
}

/**
 * `work` under the node units' lease, renewed every third of its TTL: the reconcile of the node units
 * takes the same lease, so it leaves a unit the upgrade stopped on purpose alone. The lease is the
 * chains' TTL (a worker that dies frees it then, and a fresh worker's run of the job takes it). A held
 * lease is a TransientError before anything is done.
 */
export async function withNodeUnitsLease<T>(
  deps: JobsDeps,
  owner: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { nodeUnits } = deps.state;
  const ttl = deps.config.leaseTtlMs;
  const token = await nodeUnits.acquire(owner, ttl);
  if (!token) throw new NodeUnitsBusyError();
  const controller = new AbortController();
  const timer = setInterval(
    () =>
      void nodeUnits.renew(token, ttl).then(
        (kept) => {
          if (!kept) controller.abort(new TransientError("lost the node units' lease"));
        },
        (err: unknown) => controller.abort(err),
      ),
    Math.max(50, Math.floor(ttl / 3)),
  );
  try {
    return await work(controller.signal);
  } finally {
    clearInterval(timer);
    await nodeUnits.release(token).catch(() => undefined);
  }
}

export class NodeUnitsBusyError extends TransientError {
  constructor() {
    super("the node's units are busy: another job (or their reconcile) holds their lease");
  }
}

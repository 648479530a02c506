import type { ChainId, JobName } from '@nn/orchestrator-core';
import type { StateStore } from '@nn/orchestrator-state';
import type { Runtime } from '@nn/runtime';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { JobsConfig } from './config.js';
import type { JobNotes } from './job-notes.js';
import type { StepProgress } from './progress.js';
import type { SecretStore } from './secrets/secret-store.js';

/**
 * Test-only fault injection: called at named points inside steps (after a step's first effect, between
 * the runtime's deploy steps, between readiness polls). Production never passes hooks; the crash-safety
 * tests pass one that kills the worker process right there.
 */
export interface StepHooks {
  at?(point: { job: JobName; step: string; point: string; chainId: string }): void | Promise<void>;
}

/** What every job needs; one per worker process. */
export interface JobsDeps {
  readonly config: JobsConfig;
  readonly state: StateStore;
  readonly runtime: Runtime;
  readonly secrets: SecretStore;
  /** The connection the state store uses (job notes live next to the state). */
  readonly redis: Redis;
  readonly log: Logger;
  readonly hooks?: StepHooks | undefined;
}

/** One run of one chain job: the deps plus this job's progress, notes, abort signal. */
export interface ChainJobContext {
  readonly deps: JobsDeps;
  readonly job: { readonly id: string; readonly name: JobName };
  readonly chainId: ChainId;
  readonly unit: string;
  readonly progress: StepProgress;
  readonly notes: JobNotes;
  /** Aborted when the chain's lease is lost: stop before touching the chain again. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** A named point inside the current step, for the test hooks; also checks the signal. */
  checkpoint(point: string): Promise<void>;
  /** Enqueues follow-up jobs (reconcile does); undefined in workers that only run steps. */
  readonly enqueue?: Enqueuer | undefined;
}

/** The enqueue side a workflow may use (reconcile turns a diff into a job). */
export interface Enqueuer {
  addChainFollowUp(chainId: ChainId, kind: 'chain.add' | 'chain.restart'): Promise<string | undefined>;
}

/** The enqueue side of the reconcile sweep. */
export interface SweepEnqueuer {
  /** A per-chain reconcile, unless one of the chain's jobs is pending. */
  requestReconcile(chainId: ChainId, trigger: 'sweep'): Promise<string | undefined>;
  /**
   * chain.add for a chain stranded in `requested` with no job; `stillStranded` is asked again once the
   * chain's pending marker is held. Undefined when nothing was queued.
   */
  requeueStrandedAdd(chainId: ChainId, stillStranded: () => Promise<boolean>): Promise<string | undefined>;
  /** The slow retry of a failed chain: its chain.add as its one pending job. Undefined when one is pending. */
  retryFailedAdd(chainId: ChainId): Promise<string | undefined>;
  /** Runs the delayed jobs of these chains now (their dependency is back). */
  promoteDelayed(chainIds: ReadonlySet<string>): Promise<string[]>;
}

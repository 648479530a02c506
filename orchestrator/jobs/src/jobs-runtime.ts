import { nodeUnitNames } from '@nn/node-units';
import { createStateStore, type StateStore } from '@nn/orchestrator-state';
import type { Runtime } from '@nn/runtime';
import { createLogger } from '@nn/shared';
import type { ConnectionOptions, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type JobsConfig, parseJobsConfig } from './config.js';
import type { JobsDeps, StepHooks } from './context.js';
import { JobQueue } from './queues.js';
import { type EventFeed, startEventFeed } from './reconcile/event-feed.js';
import { readNodeUnitsDesired } from './reconcile/node-units.js';
import { SecretStore } from './secrets/secret-store.js';
import { type StatusPoller, startStatusPoller } from './status/status-poller.js';
import { autoResetChores } from './status/wallet-chores.js';
import { createJobsWorker } from './worker.js';

export interface JobsRuntimeOptions {
  readonly config: unknown;
  /** The state store's connection (a normal ioredis client, not a blocking one). */
  readonly redis: Redis;
  /** State key prefix (default `nn:`). */
  readonly statePrefix?: string;
  /** BullMQ's connection (options or an ioredis instance with maxRetriesPerRequest: null). */
  readonly connection: ConnectionOptions;
  readonly runtime: Runtime;
  readonly log?: Logger;
  /** Run a worker in this process (default true). An API-only process sets false. */
  readonly worker?: boolean;
  /** Follow the runtime's events into reconcile jobs (default true with a worker). */
  readonly events?: boolean;
  /** Install the periodic sweep scheduler (default true with a worker). */
  readonly sweep?: boolean;
  /** Poll the units' sidecars for `nnctl status` (default true with a worker; see liveStatusEveryMs). */
  readonly liveStatus?: boolean;
  /** Test-only fault injection (see StepHooks). */
  readonly hooks?: StepHooks;
}

export interface JobsRuntime {
  readonly config: JobsConfig;
  readonly state: StateStore;
  readonly queue: JobQueue;
  readonly worker: Worker | undefined;
  readonly deps: JobsDeps;
  close(): Promise<void>;
}

/** Wires config, state, secrets, queue, worker, event feed and sweep for one orchestrator process. */
export async function createJobsRuntime(options: JobsRuntimeOptions): Promise<JobsRuntime> {
  const config = parseJobsConfig(options.config);
  const state = createStateStore(options.redis, options.statePrefix ? { prefix: options.statePrefix } : {});
  const log = options.log ?? createLogger('orchestrator-jobs');
  const deps: JobsDeps = {
    config,
    state,
    runtime: options.runtime,
    secrets: new SecretStore(config.secretsDir),
    redis: options.redis,
    log,
    hooks: options.hooks,
  };
  const queue = new JobQueue(options.connection, config, state);
  const runWorker = options.worker ?? true;
  const worker = runWorker ? createJobsWorker(deps, queue, { connection: options.connection }) : undefined;
  let feed: EventFeed | undefined;
  if (runWorker && (options.events ?? true))
    feed = startEventFeed({
      runtime: options.runtime,
      state,
      unitPrefix: config.unitPrefix,
      log,
      requestReconcile: (id, trigger) => queue.requestReconcile(id, trigger),
      requestSweep: (trigger) => queue.requestSweep(trigger),
      nodeUnitNames: async () => {
        const desired = await readNodeUnitsDesired(deps).catch(() => undefined);
        return desired ? nodeUnitNames(desired).map((u) => u.unit) : [];
      },
    });
  if (runWorker && (options.sweep ?? true)) {
    await queue.scheduleSweep();
    // A worker starting (after a crash, a `down`, a reboot) looks at the world at once, not a period later.
    await queue.requestSweep('manual');
  }
  const poller: StatusPoller | undefined =
    runWorker && (options.liveStatus ?? true) ? startStatusPoller(deps, autoResetChores(queue)) : undefined;
  return {
    config,
    state,
    queue,
    worker,
    deps,
    async close() {
      await poller?.stop();
      await feed?.stop();
      await worker?.close();
      await queue.close();
    },
  };
}

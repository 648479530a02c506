import { type ChainId, chainIdSchema } from '@nn/orchestrator-core';
import type { StateStore } from '@nn/orchestrator-state';
import type { Runtime, RuntimeEvent } from '@nn/runtime';
import { abortableSleep } from '@nn/shared';
import type { Logger } from 'pino';
import { unitNameOf } from '../unit/unit-name.js';

export interface EventFeedDeps {
  readonly runtime: Runtime;
  readonly state: StateStore;
  readonly unitPrefix: string;
  readonly log: Logger;
  requestReconcile(chainId: ChainId, trigger: 'event'): Promise<string | undefined>;
  requestSweep(trigger: 'event'): Promise<string>;
  /** The node's own units' names (from their desired state); their events queue a sweep. */
  nodeUnitNames?(): Promise<readonly string[]>;
}

export interface EventFeed {
  /** Resolves when the feed has stopped. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Feeds reconcile from the runtime's event stream: a unit container that dies or is destroyed queues a
 * reconcile of its chain (deduplicated by the chain's pending marker), an engine whose stream broke or
 * came back queues a sweep. Events are hints (the periodic sweep catches what a broken stream lost).
 * The runtime reconnects its streams; should the iteration still end or throw, the feed subscribes
 * again after `retryMs`, from the last event's time.
 */
export function startEventFeed(deps: EventFeedDeps, opts: { retryMs?: number } = {}): EventFeed {
  const abort = new AbortController();
  const retryMs = opts.retryMs ?? 1_000;
  let since: Date | undefined;

  const chainOfUnit = async (unit: string): Promise<ChainId | undefined> => {
    for (const chain of await deps.state.chains.list())
      if (unitNameOf(deps.unitPrefix, chain.spec.id) === unit) return chain.spec.id;
    // A unit whose chain is gone from the state may be an orphan: its nn.chain label is checked by the
    // reconcile job, so derive the id from the name only when it is a plain prefix + id.
    if (!unit.startsWith(deps.unitPrefix)) return undefined;
    const parsed = chainIdSchema.safeParse(unit.slice(deps.unitPrefix.length));
    return parsed.success ? parsed.data : undefined;
  };

  const handle = async (event: RuntimeEvent) => {
    if (event.kind === 'node') {
      deps.log.info({ node: event.node, action: event.action }, 'engine stream changed: sweeping');
      await deps.requestSweep('event');
      return;
    }
    // A node unit (LTC, KMD, Iguana) that dies, vanishes or starts again: the sweep brings it back in
    // dependency order and, once Iguana is back, registers the chains it no longer lists.
    if (
      event.action !== 'health' &&
      deps.nodeUnitNames &&
      (await deps.nodeUnitNames()).includes(event.unit)
    ) {
      deps.log.info({ unit: event.unit, action: event.action }, 'node unit changed: sweeping');
      await deps.requestSweep('event');
      return;
    }
    if (
      event.action !== 'die' &&
      event.action !== 'destroy' &&
      !(event.action === 'health' && event.health === 'unhealthy')
    )
      return;
    const chainId = await chainOfUnit(event.unit);
    if (chainId === undefined) return;
    const jobId = await deps.requestReconcile(chainId, 'event');
    deps.log.debug({ unit: event.unit, action: event.action, chainId, jobId }, 'reconcile requested');
  };

  const done = (async () => {
    while (!abort.signal.aborted) {
      try {
        for await (const event of deps.runtime.events({
          signal: abort.signal,
          ...(since ? { since } : {}),
        })) {
          since = event.time;
          try {
            await handle(event);
          } catch (err) {
            deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'event not handled');
          }
        }
      } catch (err) {
        if (!abort.signal.aborted)
          deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'event stream failed');
      }
      await abortableSleep(retryMs, abort.signal);
    }
  })();

  return {
    done,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

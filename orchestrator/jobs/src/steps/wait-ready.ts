import { TransientError } from '@nn/orchestrator-core';
import type { UnitHandle } from '@nn/runtime';
import { abortableSleep } from '@nn/shared';
import { SidecarClient } from '@nn/sidecar-clients';
import type { ChainJobContext } from '../context.js';

/** The URL the orchestrator reaches a unit's sidecar at (the node's cluster address). */
export async function sidecarUrlOf(ctx: ChainJobContext, handle?: UnitHandle): Promise<string> {
  const h = handle?.endpoint ? handle : await ctx.deps.runtime.inspectUnit(ctx.unit);
  if (!h.endpoint) throw new TransientError(`unit ${ctx.unit} has no sidecar endpoint yet`);
  return h.endpoint;
}

/**
 * Polled faster than readyPollMs while the sidecar starts and for the first seconds after it first
 * answers: a daemon that starts quickly (an assetchain without history) is then seen ready within
 * 50 ms instead of up to a whole poll interval later, and one /readyz (the sidecar asking its daemon
 * once) costs next to nothing. The fast phase follows the sidecar, not the clock: with a dozen chains
 * starting at once on two cores a sidecar can take longer than FAST_PHASE_MS to listen, and a clock
 * from the deploy then left the ready chain waiting for a slow poll. Not faster than 50 ms: before the
 * sidecar listens each poll is a connection through the engine's port proxy, CPU the starting
 * sidecars need. Once the sidecar answers and the daemon warms up (minutes for komodod), readyPollMs.
 */
const FAST_POLL_MS = 50;
const FAST_PHASE_MS = 3_000;
/** Bound of the fast polls while the sidecar does not answer at all (an image that never listens). */
const SIDECAR_START_FAST_MS = 30_000;

/**
 * wait-ready: polls the sidecar's /readyz until 200. Connection refused and -28 (warm-up) are normal for
 * minutes; the wait is bounded by readyTimeoutMs, after which the attempt fails as transient with the
 * last reason the sidecar gave.
 */
export async function waitReady(
  ctx: ChainJobContext,
  handle: UnitHandle | undefined,
  /** The job's step the wait is part of (the node upgrade waits for Iguana inside `start-iguana`). */
  step: 'wait-ready' | 'start-iguana' = 'wait-ready',
): Promise<void> {
  const { config } = ctx.deps;
  await ctx.progress.enter(step, 'waiting for /readyz');
  const client = new SidecarClient(await sidecarUrlOf(ctx, handle), config.httpTimeoutMs);
  const started = Date.now();
  const deadline = started + config.readyTimeoutMs;
  let last = 'no answer yet';
  let polls = 0;
  let answeredAt: number | undefined;
  for (;;) {
    ctx.signal.throwIfAborted();
    try {
      // The sidecar answers /readyz from a fresh look at its daemon (never its status cache), so a
      // sidecar that outlived a redeployed daemon cannot report the old one's readiness.
      const r = await client.readyz(ctx.signal);
      if (answeredAt === undefined) {
        answeredAt = Date.now();
        ctx.progress.lap('sidecar answering');
      }
      if (r.ready) break;
      if (r.reason !== last) {
        last = r.reason;
        await ctx.progress.enter(step, last);
      }
    } catch (err) {
      if (!(err instanceof TransientError)) throw err;
      last = err.message;
    }
    polls++;
    await ctx.checkpoint(`poll ${polls}`);
    if (Date.now() >= deadline)
      throw new TransientError(`not ready after ${Math.round(config.readyTimeoutMs / 1000)} s: ${last}`);
    const fast =
      answeredAt === undefined
        ? Date.now() - started < SIDECAR_START_FAST_MS
        : Date.now() - answeredAt < FAST_PHASE_MS;
    await abortableSleep(fast ? Math.min(FAST_POLL_MS, config.readyPollMs) : config.readyPollMs, ctx.signal);
  }
  ctx.progress.lap('daemon ready');
  await ctx.checkpoint('ready');
}

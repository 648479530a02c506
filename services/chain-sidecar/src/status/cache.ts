import type { Logger } from 'pino';
import type { ChainStatus, SidecarConfig } from '../contract/index.js';
import type { DaemonRpc } from '../daemon/rpc.js';
import type { SidecarMetrics } from '../metrics.js';
import { readiness } from './readiness.js';
import { collectStatus } from './status.js';

/**
 * One status query in flight at a time and a short cache, so probes, /v1/status and /metrics
 * together cost the daemon at most a few calls a second.
 */
export class StatusCache {
  private last: ChainStatus | undefined;
  private pending: Promise<ChainStatus> | undefined;

  constructor(
    private readonly cfg: SidecarConfig,
    private readonly rpc: DaemonRpc,
    private readonly metrics: SidecarMetrics,
    private readonly maxAgeMs = 1_000,
    private readonly log?: Pick<Logger, 'info'>,
  ) {}

  /**
   * The status, from the cache when it is younger than maxAgeMs. `fresh` skips the cache (still one query
   * in flight): /readyz must not answer from a view taken before the daemon was replaced.
   */
  get(options: { fresh?: boolean } = {}): Promise<ChainStatus> {
    if (!options.fresh && this.last && Date.now() - this.last.at < this.maxAgeMs)
      return Promise.resolve(this.last);
    this.pending ??= collectStatus(this.cfg, this.rpc, (outcome) => {
      if (outcome === 'loaded' || outcome === 'created')
        this.log?.info({ outcome }, `daemon had no wallet loaded: the default wallet was ${outcome}`);
    })
      .then((s) => {
        this.last = s;
        this.metrics.observe(s, readiness(s, this.cfg.requirePeers).ready);
        return s;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}

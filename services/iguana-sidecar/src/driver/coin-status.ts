import { messageOf } from '../errors.js';
import type { IguanaMetrics } from '../metrics.js';
import { activityOf, type CoinStatus } from '../status.js';
import type { ChainSidecarClient } from '../upstream/chain-client.js';
import type { CoinEntry, CoinRegistry } from './coin-registry.js';

/** What the sidecar knows of a coin without asking its chain: the chain shows as unreachable. */
export function localStatus(e: CoinEntry): CoinStatus {
  return {
    name: e.coin.name,
    kind: e.coin.kind,
    role: e.coin.role,
    runtime: e.runtime,
    registered: e.registered,
    dpowActive: e.dpowActive,
    bridgePort: e.coin.rpcPort,
    chain: 'unreachable',
    blocks: null,
    lastNotarisedHeight: null,
    lastNotarisedTime: null,
    secondsSinceNotarisation: null,
    notaryUtxos: null,
    status: e.coin.role === 'source' ? 'inactive' : null,
    lastError: e.lastError,
  };
}

export interface StatusOptions {
  readonly registry: CoinRegistry;
  readonly statusCacheMs: number;
  readonly metrics: IguanaMetrics;
  readonly now: () => number;
}

/** Per-coin status and notarisation activity, read from each coin's chain sidecar. */
export class CoinStatusReader {
  private cache: { at: number; coins: CoinStatus[] } | undefined;
  private readonly notarisedTimes = new Map<string, { height: number; time: number }>();

  constructor(private readonly o: StatusOptions) {}

  /** The next read asks the chains again (a coin was added, removed or split). */
  invalidate(): void {
    this.cache = undefined;
  }

  /** Every coin's status in sequence order, cached for statusCacheMs; updates the coin gauges. */
  async read(): Promise<CoinStatus[]> {
    const now = this.o.now();
    if (this.cache && now - this.cache.at < this.o.statusCacheMs) return this.cache.coins;
    const coins = await Promise.all(this.o.registry.ordered().map((e) => this.collect(e)));
    this.cache = { at: now, coins };
    this.o.metrics.observeCoins(coins);
    return coins;
  }

  private async collect(e: CoinEntry): Promise<CoinStatus> {
    const base = localStatus(e);
    let chain: Awaited<ReturnType<ChainSidecarClient['status']>>;
    try {
      chain = await e.client.status();
    } catch (err) {
      return { ...base, lastError: base.lastError ?? `status: ${messageOf(err)}` };
    }
    const notarized = typeof chain.notarized === 'number' && chain.notarized > 0 ? chain.notarized : null;
    let time: number | null = null;
    let lastError = base.lastError;
    if (notarized !== null) {
      try {
        time = await this.blockTime(e, notarized);
      } catch (err) {
        lastError = lastError ?? `status: ${messageOf(err)}`;
      }
    }
    const since = time === null ? null : Math.max(0, Math.floor(this.o.now() / 1000) - time);
    return {
      ...base,
      chain: 'ok',
      blocks: typeof chain.blocks === 'number' ? chain.blocks : null,
      lastNotarisedHeight: e.coin.role === 'source' ? (notarized ?? 0) : null,
      lastNotarisedTime: time,
      secondsSinceNotarisation: since,
      notaryUtxos: typeof chain.notaryUtxos === 'number' ? chain.notaryUtxos : null,
      status: e.coin.role === 'source' ? activityOf(since) : null,
      lastError,
    };
  }

  /** Time of the block at `height` (the notarised block), cached per coin and height. */
  private async blockTime(e: CoinEntry, height: number): Promise<number> {
    const cached = this.notarisedTimes.get(e.coin.name);
    if (cached && cached.height === height) return cached.time;
    const hash = await e.client.rpc<string>('getblockhash', [height]);
    const block = await e.client.rpc<{ time?: number }>('getblock', [hash]);
    if (typeof block.time !== 'number') throw new Error(`getblock ${height}: no time`);
    this.notarisedTimes.set(e.coin.name, { height, time: block.time });
    return block.time;
  }
}

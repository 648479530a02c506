import { rmSync } from 'node:fs';
import type { LoopbackBridge } from '@nn/chain-sidecar';
import type { Logger } from 'pino';
import { coinBridge } from '../coins/coin-bridge.js';
import type { ResolvedCoin } from '../coins/resolve.js';
import type { CoinConfig } from '../config.js';
import type { RemovedCoin } from '../contract/index.js';
import type { IguanaMetrics } from '../metrics.js';
import { ChainSidecarClient } from '../upstream/chain-client.js';

/** A bridged coin and what the current Iguana is known to have done with it. */
export interface CoinEntry {
  readonly coin: ResolvedCoin;
  readonly client: ChainSidecarClient;
  readonly bridge: LoopbackBridge;
  readonly runtime: boolean;
  registered: boolean;
  dpowActive: boolean;
  lastError: string | null;
}

export interface RegistryOptions {
  readonly maxBodyBytes: number;
  readonly metrics: IguanaMetrics;
  readonly log: Logger;
}

/**
 * The coins this sidecar bridges (configured, and added at runtime), each with its loopback bridge and
 * its chain sidecar's client; and the coins removed through the API that the current Iguana still has.
 */
export class CoinRegistry {
  private readonly entries = new Map<string, CoinEntry>();
  private readonly removed = new Map<string, RemovedCoin>();

  constructor(private readonly o: RegistryOptions) {}

  /** Opens every coin's bridge (its conf first). Nothing stays open when one fails. */
  async open(configured: readonly ResolvedCoin[], runtime: readonly ResolvedCoin[] = []): Promise<void> {
    try {
      for (const c of configured) await this.add(c, false);
      for (const c of runtime) await this.add(c, true);
    } catch (err) {
      await this.closeAll();
      throw err;
    }
  }

  /** Writes the coin's conf and starts its bridge; the coin is bridged once this resolves. */
  async add(coin: ResolvedCoin, runtime: boolean): Promise<CoinEntry> {
    const bridge = coinBridge(coin, this.o.maxBodyBytes, this.o.metrics, this.o.log);
    await bridge.start();
    const entry: CoinEntry = {
      coin,
      client: new ChainSidecarClient(coin.name, coin.upstream, coin.tokenFile),
      bridge,
      runtime,
      registered: false,
      dpowActive: false,
      lastError: null,
    };
    this.entries.set(coin.name, entry);
    return entry;
  }

  /** Stops bridging the coin and deletes its conf, so a later Iguana cannot read it. */
  async drop(entry: CoinEntry): Promise<void> {
    this.entries.delete(entry.coin.name);
    await entry.bridge.close().catch(() => undefined);
    rmSync(entry.coin.confPath, { force: true });
  }

  async closeAll(): Promise<void> {
    for (const e of this.entries.values()) await e.bridge.close().catch(() => undefined);
  }

  get(name: string): CoinEntry | undefined {
    return this.entries.get(name);
  }

  /** Coins in the order they were opened or added. */
  all(): CoinEntry[] {
    return [...this.entries.values()];
  }

  /** Coins in sequence order: KMD, the destination, then assetchains as configured/added. */
  ordered(): CoinEntry[] {
    const rank = (e: CoinEntry) => (e.coin.kind === 'kmd' ? 0 : e.coin.role === 'destination' ? 1 : 2);
    return this.all().sort((a, b) => rank(a) - rank(b));
  }

  kmd(): CoinEntry {
    const k = this.ordered()[0];
    if (k?.coin.kind !== 'kmd') throw new Error('no KMD coin');
    return k;
  }

  /** Why `coin` cannot be bridged next to the others (same name, bridge port or conf), if it cannot. */
  clash(coin: ResolvedCoin): { field: string; message: string } | undefined {
    for (const e of this.entries.values()) {
      if (e.coin.name === coin.name) return { field: 'name', message: `name: coin ${coin.name} exists` };
      if (e.coin.rpcPort === coin.rpcPort)
        return { field: 'rpcPort', message: `rpcPort: ${coin.rpcPort} is ${e.coin.name}'s bridge` };
      if (e.coin.confPath === coin.confPath)
        return { field: 'confPath', message: `confPath: ${coin.confPath} is ${e.coin.name}'s conf` };
    }
    return undefined;
  }

  /** Iguana went away or restarted: no coin is known to be registered or dPoW'd any more. */
  forgetIguanaState(): void {
    for (const e of this.entries.values()) {
      e.registered = false;
      e.dpowActive = false;
    }
  }

  /** The configs of the coins added at runtime (what the state file keeps). */
  runtimeConfigs(): CoinConfig[] {
    return this.all()
      .filter((e) => e.runtime)
      .map((e) => e.coin.config);
  }

  markRemoved(r: RemovedCoin): void {
    this.removed.set(r.name, r);
  }

  /** A removed coin added again is no longer pending. */
  unmarkRemoved(name: string): void {
    this.removed.delete(name);
  }

  /** A restarted Iguana forgot the coins removed through the API: nothing is pending any more. */
  clearRemoved(): void {
    this.removed.clear();
  }

  removedCoins(): RemovedCoin[] {
    return [...this.removed.values()];
  }
}

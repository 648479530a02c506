import type { ResolvedCoin } from './coins/resolve.js';
import type {
  AddCoinReply,
  IguanaState,
  Readiness,
  RemoveCoinReply,
  RemovedCoin,
  SplitReply,
} from './contract/index.js';
import { CoinOperations } from './driver/coin-operations.js';
import { CoinRegistry } from './driver/coin-registry.js';
import { CoinStatusReader } from './driver/coin-status.js';
import { IguanaLine } from './driver/iguana-line.js';
import type { DriverOptions } from './driver/options.js';
import { IguanaSupervisor } from './driver/supervisor.js';
import type { CoinStatus } from './status.js';

export type { IguanaState, RemovedCoin } from './contract/index.js';
export type { DriverOptions } from './driver/options.js';

/**
 * Drives Iguana the way the dPoW scripts do and keeps it so. The parts: the coin registry (bridges per
 * coin), the supervisor (probe, start-up sequence, restarts, stale locks), the status reader, and the
 * API's coin operations, which persist the runtime coins. Every Iguana call goes through one line, so
 * the API's mutations never interleave with a supervision round.
 */
export class IguanaDriver {
  private readonly line: IguanaLine;
  private readonly registry: CoinRegistry;
  private readonly supervisor: IguanaSupervisor;
  private readonly status: CoinStatusReader;
  private readonly operations: CoinOperations;

  constructor(o: DriverOptions) {
    const now = o.now ?? Date.now;
    const log = o.log.child({ part: 'driver' });
    this.line = new IguanaLine(o.iguana, o.metrics);
    // Bridge log lines are the bridges' own: they carry no `part: driver`.
    this.registry = new CoinRegistry({ maxBodyBytes: o.maxBodyBytes, metrics: o.metrics, log: o.log });
    this.supervisor = new IguanaSupervisor({ ...o, line: this.line, registry: this.registry, log, now });
    this.status = new CoinStatusReader({ ...o, registry: this.registry, now });
    this.operations = new CoinOperations({
      ...o,
      line: this.line,
      registry: this.registry,
      supervisor: this.supervisor,
      status: this.status,
      log,
      now,
    });
  }

  /** Opens every coin's bridge (its conf first). Nothing stays open when one fails. */
  open(configured: readonly ResolvedCoin[], runtime: readonly ResolvedCoin[] = []): Promise<void> {
    return this.registry.open(configured, runtime);
  }

  /** Starts probing Iguana: at once, then every pollIntervalMs after each round ends. */
  startLoop(): void {
    this.supervisor.startLoop();
  }

  async close(): Promise<void> {
    await this.supervisor.stop();
    await this.line.drain();
    await this.registry.closeAll();
  }

  /** One round: probe, then run the sequence, detect a restart or retry failed steps. */
  tick(): Promise<void> {
    return this.supervisor.tick();
  }

  /** True when Iguana answers and the sequence ran against it. */
  ready(): Readiness {
    return this.supervisor.ready();
  }

  iguanaState(): IguanaState {
    return this.supervisor.state();
  }

  removedCoins(): RemovedCoin[] {
    return this.registry.removedCoins();
  }

  /** Per-coin status, read from each coin's chain sidecar (cached for statusCacheMs). */
  coinStatuses(): Promise<CoinStatus[]> {
    return this.status.read();
  }

  addCoin(raw: unknown): Promise<AddCoinReply & { status: number }> {
    return this.operations.addCoin(raw);
  }

  removeCoin(name: string): Promise<RemoveCoinReply> {
    return this.operations.removeCoin(name);
  }

  split(name: string, duplicates: number): Promise<SplitReply> {
    return this.operations.split(name, duplicates);
  }
}

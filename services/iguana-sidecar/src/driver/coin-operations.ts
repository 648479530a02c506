import type { Logger } from 'pino';
import { CoinConfigError, type ResolvedCoin, resolveCoin } from '../coins/resolve.js';
import { coinSchema, formatIssues } from '../config.js';
import type { AddCoinReply, RemoveCoinReply, RemovedCoin, SplitReply } from '../contract/index.js';
import { ApiError, messageOf } from '../errors.js';
import { type IguanaReply, IguanaUnreachable, iguanaError } from '../iguana/client.js';
import { splitfundsRequest } from '../iguana/requests.js';
import type { CoinEntry, CoinRegistry } from './coin-registry.js';
import { type CoinStatusReader, localStatus } from './coin-status.js';
import type { IguanaLine } from './iguana-line.js';
import { addcoinStep, dpowStep } from './iguana-steps.js';
import { writeRuntimeCoins } from './persistence.js';
import type { IguanaSupervisor } from './supervisor.js';

export interface OperationsOptions {
  readonly line: IguanaLine;
  readonly registry: CoinRegistry;
  readonly supervisor: IguanaSupervisor;
  readonly status: CoinStatusReader;
  readonly home: string;
  readonly notaryPubkey: string;
  readonly stateFile: string | undefined;
  readonly log: Logger;
  readonly now: () => number;
}

/** The API's changes to the coins: each runs on the Iguana line, between supervision rounds. */
export class CoinOperations {
  constructor(private readonly o: OperationsOptions) {}

  /** POST /v1/coins: validate, open the bridge, addcoin, dpow. Nothing stays changed when it fails. */
  async addCoin(raw: unknown): Promise<AddCoinReply & { status: number }> {
    const coin = this.newAssetchain(raw);
    const { line, registry, supervisor, log } = this.o;
    return line.exclusive(async () => {
      const clash = registry.clash(coin);
      if (clash) throw new ApiError(409, clash.message, clash.field);
      let entry: CoinEntry;
      try {
        entry = await registry.add(coin, true);
      } catch (err) {
        throw new ApiError(
          409,
          `rpcPort: cannot open the bridge on 127.0.0.1:${coin.rpcPort}: ${(err as { code?: string }).code ?? messageOf(err)}`,
          'rpcPort',
        );
      }
      const note = supervisor.isReady()
        ? await this.register(entry)
        : 'iguana is not ready: the coin is registered by the start-up sequence';
      registry.unmarkRemoved(coin.name);
      this.changed();
      log.info(
        { coin: coin.name, registered: entry.registered, dpow: entry.dpowActive },
        'coin added at runtime',
      );
      return { status: entry.registered ? 201 : 202, coin: localStatus(entry), note };
    });
  }

  /** DELETE /v1/coins/:name: stop bridging and forget it. Iguana itself keeps it until it restarts. */
  removeCoin(name: string): Promise<RemoveCoinReply> {
    const { line, registry, log } = this.o;
    return line.exclusive(async () => {
      const entry = registry.get(name);
      if (!entry) throw new ApiError(404, `no coin ${name}`, 'name');
      if (entry.coin.kind !== 'assetchain') {
        throw new ApiError(
          409,
          `${name} cannot be removed: every dPoW pair depends on KMD and its destination`,
          'name',
        );
      }
      await registry.drop(entry);
      const removed: RemovedCoin = { name, removedAt: this.o.now(), pendingIguanaRestart: entry.registered };
      if (entry.registered) registry.markRemoved(removed);
      this.changed();
      log.info({ coin: name }, 'coin removed');
      const note = entry.registered
        ? `Iguana has no removecoin: ${name} stays registered (and dPoW'd) in Iguana until Iguana restarts; its bridge is closed, so Iguana's calls for it fail until then`
        : `${name} was not registered in Iguana`;
      return { ...removed, note };
    });
  }

  /** POST /v1/coins/:name/split: Iguana's splitfunds (10000-sat P2PK outputs, broadcast). */
  split(name: string, duplicates: number): Promise<SplitReply> {
    const { line, registry, supervisor, log } = this.o;
    return line.exclusive(async () => {
      const entry = registry.get(name);
      if (!entry) throw new ApiError(404, `no coin ${name}`, 'name');
      if (!supervisor.isUp()) throw new ApiError(503, 'iguana unreachable');
      if (!entry.registered) throw new ApiError(409, `${name} is not registered in Iguana yet`, 'name');
      let reply: IguanaReply;
      try {
        reply = await line.call(splitfundsRequest(name, duplicates), `splitfunds ${name}`);
      } catch (err) {
        if (err instanceof IguanaUnreachable) throw new ApiError(503, `iguana unreachable: ${err.message}`);
        throw err;
      }
      const err = iguanaError(reply);
      if (err !== undefined) throw new ApiError(502, `splitfunds: ${err}`);
      this.o.status.invalidate();
      log.info({ coin: name, duplicates, txid: reply.txid, completed: reply.completed }, 'split');
      return { coin: name, txid: reply.txid, completed: reply.completed, rawtx: reply.result };
    });
  }

  /** The body of POST /v1/coins as a resolved assetchain, or the API's 400 naming the field. */
  private newAssetchain(raw: unknown): ResolvedCoin {
    const parsed = coinSchema.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ApiError(
        400,
        formatIssues(parsed.error.issues, '(body)').join('; '),
        first?.path.join('.') || undefined,
      );
    }
    if (parsed.data.kind !== 'assetchain') {
      throw new ApiError(
        400,
        'kind: only assetchains are added at runtime (KMD and LTC are configured)',
        'kind',
      );
    }
    try {
      return resolveCoin(parsed.data, this.o.home, 'coin');
    } catch (err) {
      if (err instanceof CoinConfigError)
        throw new ApiError(400, err.message, err.field.replace(/^coin\.?/, ''));
      throw new ApiError(400, messageOf(err));
    }
  }

  /**
   * addcoin and dpow for a coin added while Iguana is set up. A refused or unreachable addcoin drops the
   * coin again; a failed dpow leaves it registered (the rounds retry it). Returns the reply's note.
   */
  private async register(entry: CoinEntry): Promise<string | null> {
    const { line, registry, log } = this.o;
    try {
      await addcoinStep(line, entry, log);
      if (!entry.registered) throw new ApiError(502, `iguana refused the coin: ${entry.lastError}`);
    } catch (err) {
      await registry.drop(entry);
      if (err instanceof IguanaUnreachable) throw new ApiError(503, `iguana unreachable: ${err.message}`);
      throw err;
    }
    if (!entry.coin.dpow) return null;
    await dpowStep(line, entry, this.o.notaryPubkey, log);
    return entry.dpowActive ? null : `registered; dpow failed (${entry.lastError}), retried every round`;
  }

  /** The coins changed: the next status asks the chains again, and the state file follows. */
  private changed(): void {
    this.o.status.invalidate();
    writeRuntimeCoins(this.o.stateFile, this.o.registry.runtimeConfigs());
  }
}

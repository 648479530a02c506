import { readFileSync, rmSync } from 'node:fs';
import { iguanaPassphraseKey, toHex } from '@nn/chain-crypto';
import type { LoopbackBridge } from '@nn/chain-sidecar';
import { parseElectedFile } from '@nn/komodo-params';
import { readSecretFile, writeFileAtomic } from '@nn/shared';
import type { Logger } from 'pino';
import { coinBridge } from './coins/coin-bridge.js';
import { CoinConfigError, type ResolvedCoin, resolveCoin } from './coins/resolve.js';
import { type CoinConfig, coinSchema, formatIssues } from './config.js';
import { ApiError, messageOf, scrub } from './errors.js';
import { type IguanaClient, type IguanaReply, IguanaUnreachable, iguanaError } from './iguana/client.js';
import {
  ADDCOIN_OK,
  addnotaryRequest,
  DPOW_ALREADY,
  dpowRequest,
  helpRequest,
  myipaddrRequest,
  splitfundsRequest,
  walletpassphraseRequest,
} from './iguana/requests.js';
import type { IguanaMetrics } from './metrics.js';
import { activityOf, type CoinStatus } from './status.js';
import { ChainSidecarClient } from './upstream/chain-client.js';

export interface DriverOptions {
  readonly iguana: IguanaClient;
  readonly notaryPubkey: string;
  readonly myipaddr: string;
  readonly passphraseFile: string;
  readonly electedFile: string;
  readonly home: string;
  readonly pollIntervalMs: number;
  readonly maxBodyBytes: number;
  readonly statusCacheMs: number;
  readonly stateFile: string | undefined;
  readonly metrics: IguanaMetrics;
  readonly log: Logger;
  /** For tests: the clock (ms). */
  readonly now?: () => number;
}

interface CoinEntry {
  readonly coin: ResolvedCoin;
  readonly client: ChainSidecarClient;
  readonly bridge: LoopbackBridge;
  readonly runtime: boolean;
  registered: boolean;
  dpowActive: boolean;
  lastError: string | null;
}

/** GET /v1/status's `iguana` part. */
export interface IguanaState {
  readonly port: number;
  /** null until the first probe. */
  readonly up: boolean | null;
  readonly sequenceDone: boolean;
  readonly lastSequenceAt: number | null;
  readonly restartsDetected: number;
  readonly lastError: string | null;
}

export interface RemovedCoin {
  readonly name: string;
  readonly removedAt: number;
  /** Iguana has no removecoin: the coin stays registered (and dPoW'd) in Iguana until Iguana restarts. */
  readonly pendingIguanaRestart: boolean;
}

class SequenceAborted extends Error {}

/**
 * Drives Iguana the way the dPoW scripts do (m_notary_main, wp_7776, dpowassets) and keeps it so:
 * runs the start-up sequence, notices when Iguana restarted (its API went away and came back, or KMD is
 * no longer registered), releases the UTXOs a killed Iguana left locked, and registers everything
 * again. Every Iguana call goes through one queue, so the API's mutations never interleave with it.
 */
export class IguanaDriver {
  private readonly coins = new Map<string, CoinEntry>();
  private readonly removed = new Map<string, RemovedCoin>();
  private up: boolean | null = null;
  private sequenceDone = false;
  private lastSequenceAt: number | null = null;
  private lastError: string | null = null;
  private restarts = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  private statusCache: { at: number; coins: CoinStatus[] } | undefined;
  private readonly notarisedTimes = new Map<string, { height: number; time: number }>();
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly o: DriverOptions) {
    this.now = o.now ?? Date.now;
    this.log = o.log.child({ part: 'driver' });
  }

  /** Opens every coin's bridge (its conf first). Nothing stays open when one fails. */
  async open(configured: readonly ResolvedCoin[], runtime: readonly ResolvedCoin[] = []): Promise<void> {
    try {
      for (const c of configured) await this.addEntry(c, false);
      for (const c of runtime) await this.addEntry(c, true);
    } catch (err) {
      await this.closeBridges();
      throw err;
    }
  }

  /** Starts probing Iguana: at once, then every pollIntervalMs after each round ends. */
  startLoop(): void {
    const loop = () => {
      if (this.stopped) return;
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        if (!this.stopped) this.timer = setTimeout(loop, this.o.pollIntervalMs);
      });
    };
    loop();
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await this.queue.catch(() => undefined);
    await this.closeBridges();
  }

  private async closeBridges(): Promise<void> {
    for (const e of this.coins.values()) await e.bridge.close().catch(() => undefined);
  }

  private async addEntry(coin: ResolvedCoin, runtime: boolean): Promise<CoinEntry> {
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
    this.coins.set(coin.name, entry);
    return entry;
  }

  /** Coins in sequence order: KMD, the destination, then assetchains as configured/added. */
  private ordered(): CoinEntry[] {
    const rank = (e: CoinEntry) => (e.coin.kind === 'kmd' ? 0 : e.coin.role === 'destination' ? 1 : 2);
    return [...this.coins.values()].sort((a, b) => rank(a) - rank(b));
  }

  private kmd(): CoinEntry {
    const k = this.ordered()[0];
    if (k?.coin.kind !== 'kmd') throw new Error('no KMD coin');
    return k;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async callIguana(body: Record<string, unknown>, what: string): Promise<IguanaReply> {
    const method = String(body.method);
    try {
      const reply = await this.o.iguana.call(body, what);
      this.o.metrics.iguanaCalls.inc({ method, outcome: iguanaError(reply) === undefined ? 'ok' : 'error' });
      return reply;
    } catch (err) {
      this.o.metrics.iguanaCalls.inc({ method, outcome: 'unreachable' });
      throw err;
    }
  }

  // --- the loop ------------------------------------------------------------------------------------

  /** One round: probe, then run the sequence, detect a restart or retry failed steps. */
  async tick(): Promise<void> {
    await this.exclusive(async () => {
      try {
        await this.round();
      } catch (err) {
        if (err instanceof IguanaUnreachable) {
          this.markDown(err.message);
          return;
        }
        this.lastError = messageOf(err);
        this.log.warn({ err: this.lastError }, 'iguana round failed');
      }
    });
  }

  private async round(): Promise<void> {
    // dragon_node's liveness probe: `help` answering without an `error` key means Iguana is up.
    const help = await this.callIguana(helpRequest(), 'help');
    if (iguanaError(help) !== undefined) throw new Error(`help: ${iguanaError(help)}`);
    if (this.up !== true) this.log.info({ port: this.o.iguana.port }, 'iguana reachable');
    this.up = true;
    this.o.metrics.iguanaUp.set(1);
    if (!this.sequenceDone) {
      await this.runSequence(false);
      return;
    }
    // Still the Iguana we set up? addcoin is answered "coin already there" before anything else is done
    // (iguana.md §3.3); "coin added" means a new Iguana that has nothing registered.
    const kmd = this.kmd();
    const reply = await this.callIguana(kmd.coin.addcoin, 'addcoin KMD');
    if (reply.result === 'coin added') {
      this.restartDetected('KMD was no longer registered');
      kmd.registered = true;
      await this.unlockAll();
      await this.runSequence(true);
      return;
    }
    await this.retryFailed();
  }

  private markDown(reason: string): void {
    if (this.up !== false) this.log.warn({ reason }, 'iguana unreachable');
    this.up = false;
    this.o.metrics.iguanaUp.set(0);
    // Whether it restarted is known when it answers again; until then nothing is known to be registered.
    this.setSequenceDone(false);
    for (const e of this.coins.values()) {
      e.registered = false;
      e.dpowActive = false;
    }
  }

  private restartDetected(why: string): void {
    this.restarts++;
    this.o.metrics.restarts.inc();
    this.log.warn({ why }, 'iguana restarted: releasing locked UTXOs and registering again');
    this.setSequenceDone(false);
    // Iguana forgot the coins removed through the API: nothing is pending any more.
    this.removed.clear();
    for (const e of this.coins.values()) {
      e.registered = false;
      e.dpowActive = false;
    }
  }

  private setSequenceDone(done: boolean): void {
    this.sequenceDone = done;
    this.o.metrics.sequenceDone.set(done ? 1 : 0);
  }

  /**
   * The start-up sequence of dPoW's m_notary_main: myipaddr, addnotary per seed, addcoin KMD,
   * walletpassphrase, addcoin LTC and each chain, dpow KMD, dpow each chain. UTXOs a previous Iguana left
   * locked are released before walletpassphrase and every dpow — the only calls that let Iguana start
   * rounds and lock anything — as soon as addcoin KMD shows a fresh Iguana ("coin added"); an Iguana that
   * kept its state ("coin already there", e.g. after this sidecar restarted) keeps its live locks.
   */
  private async runSequence(alreadyUnlocked: boolean): Promise<void> {
    this.setSequenceDone(false);
    this.log.info('running the start-up sequence');
    const step = async (body: Record<string, unknown>, what: string) => {
      const reply = await this.callIguana(body, what);
      const err = iguanaError(reply);
      if (err !== undefined) throw new SequenceAborted(`${what}: ${err}`);
      return reply;
    };
    try {
      await step(myipaddrRequest(this.o.myipaddr), 'myipaddr');
      for (const seed of this.seeds()) await step(addnotaryRequest(seed), `addnotary ${seed}`);

      const kmd = this.kmd();
      const added = await this.addcoinStep(kmd);
      if (!kmd.registered) throw new SequenceAborted(`addcoin KMD: ${kmd.lastError ?? 'failed'}`);
      if (added === 'coin added' && !alreadyUnlocked) {
        if (this.lastSequenceAt !== null) this.restartDetected('Iguana came back without KMD');
        kmd.registered = true;
        await this.unlockAll();
      }

      await this.walletpassphrase();

      const rest = this.ordered().filter((e) => e !== kmd);
      for (const e of rest) await this.addcoinStep(e);
      for (const e of this.ordered()) if (e.coin.dpow && e.registered) await this.dpowStep(e);

      this.setSequenceDone(true);
      this.lastSequenceAt = this.now();
      this.lastError = null;
      this.log.info(
        {
          coins: this.ordered().map((e) => ({
            coin: e.coin.name,
            registered: e.registered,
            dpow: e.dpowActive,
          })),
        },
        'start-up sequence done',
      );
    } catch (err) {
      if (!(err instanceof SequenceAborted)) throw err;
      this.lastError = err.message;
      this.log.warn({ err: err.message }, 'start-up sequence stopped; retrying next round');
    }
  }

  /** The passphrase goes from its file into the request and nowhere else; replies are scrubbed of it. */
  private async walletpassphrase(): Promise<void> {
    let passphrase: string;
    try {
      passphrase = readSecretFile(this.o.passphraseFile);
    } catch (err) {
      throw new SequenceAborted(`walletpassphrase: ${messageOf(err)}`);
    }
    if (toHex(iguanaPassphraseKey(passphrase).publicKey) !== this.o.notaryPubkey.toLowerCase()) {
      throw new SequenceAborted(`walletpassphrase: the key of ${this.o.passphraseFile} is not notaryPubkey`);
    }
    let reply: IguanaReply;
    try {
      reply = await this.callIguana(walletpassphraseRequest(passphrase), 'walletpassphrase');
    } catch (err) {
      if (err instanceof IguanaUnreachable) throw err;
      throw new SequenceAborted(`walletpassphrase: ${scrub(messageOf(err), passphrase)}`);
    }
    const err = iguanaError(reply);
    if (err !== undefined) throw new SequenceAborted(`walletpassphrase: ${scrub(err, passphrase)}`);
    const key = reply.btcpubkey;
    if (typeof key === 'string' && key.toLowerCase() !== this.o.notaryPubkey.toLowerCase()) {
      throw new SequenceAborted("walletpassphrase: Iguana's wallet key (btcpubkey) is not notaryPubkey");
    }
  }

  private seeds(): readonly string[] {
    let text: string;
    try {
      text = readFileSync(this.o.electedFile, 'utf8');
    } catch {
      throw new SequenceAborted(`elected file ${this.o.electedFile} is unreadable`);
    }
    try {
      return parseElectedFile(text).seeds;
    } catch (err) {
      throw new SequenceAborted(messageOf(err));
    }
  }

  /** addcoin for one coin; returns Iguana's result string (or undefined on an error). */
  private async addcoinStep(e: CoinEntry): Promise<string | undefined> {
    const reply = await this.callIguana(e.coin.addcoin, `addcoin ${e.coin.name}`);
    const err = iguanaError(reply);
    const result = typeof reply.result === 'string' ? reply.result : undefined;
    if (err === undefined && result !== undefined && (ADDCOIN_OK as readonly string[]).includes(result)) {
      e.registered = true;
      e.lastError = null;
      return result;
    }
    e.registered = false;
    e.lastError = `addcoin: ${err ?? `unexpected reply ${JSON.stringify(reply).slice(0, 200)}`}`;
    this.log.warn({ coin: e.coin.name, err: e.lastError }, 'addcoin failed');
    return undefined;
  }

  private async dpowStep(e: CoinEntry): Promise<void> {
    const reply = await this.callIguana(
      dpowRequest(e.coin.name, this.o.notaryPubkey, e.coin.freq),
      `dpow ${e.coin.name}`,
    );
    const err = iguanaError(reply);
    if (reply.result === 'success' || err === DPOW_ALREADY) {
      e.dpowActive = true;
      e.lastError = null;
      return;
    }
    e.dpowActive = false;
    e.lastError = `dpow: ${err ?? `unexpected reply ${JSON.stringify(reply).slice(0, 200)}`}`;
    this.log.warn({ coin: e.coin.name, err: e.lastError }, 'dpow failed');
  }

  /** After the sequence: coins whose addcoin or dpow failed (a chain not ready yet) are tried again. */
  private async retryFailed(): Promise<void> {
    for (const e of this.ordered()) if (!e.registered) await this.addcoinStep(e);
    for (const e of this.ordered()) if (e.coin.dpow && e.registered && !e.dpowActive) await this.dpowStep(e);
  }

  /** listlockunspent → lockunspent true on every coin's daemon, through its chain sidecar. */
  private async unlockAll(): Promise<void> {
    for (const e of this.ordered()) {
      try {
        const n = await e.client.unlockAll();
        this.o.metrics.unlocked.inc({ coin: e.coin.name }, n);
        this.log.info({ coin: e.coin.name, unlocked: n }, 'released locked UTXOs');
      } catch (err) {
        e.lastError = `unlock: ${messageOf(err)}`;
        this.log.warn({ coin: e.coin.name, err: e.lastError }, 'could not release locked UTXOs');
      }
    }
  }

  // --- API operations --------------------------------------------------------------------------------

  /** True when Iguana answers and the sequence ran against it. */
  ready(): { ready: boolean; reason: string | null } {
    if (this.up !== true)
      return { ready: false, reason: this.up === null ? 'iguana not probed yet' : 'iguana unreachable' };
    if (!this.sequenceDone)
      return {
        ready: false,
        reason: `start-up sequence not done${this.lastError ? `: ${this.lastError}` : ''}`,
      };
    return { ready: true, reason: null };
  }

  iguanaState(): IguanaState {
    return {
      port: this.o.iguana.port,
      up: this.up,
      sequenceDone: this.sequenceDone,
      lastSequenceAt: this.lastSequenceAt,
      restartsDetected: this.restarts,
      lastError: this.lastError,
    };
  }

  removedCoins(): RemovedCoin[] {
    return [...this.removed.values()];
  }

  /** POST /v1/coins: validate, open the bridge, addcoin, dpow. Nothing stays changed when it fails. */
  async addCoin(raw: unknown): Promise<{ status: number; coin: CoinStatus; note: string | null }> {
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
    let coin: ResolvedCoin;
    try {
      coin = resolveCoin(parsed.data, this.o.home, 'coin');
    } catch (err) {
      if (err instanceof CoinConfigError)
        throw new ApiError(400, err.message, err.field.replace(/^coin\.?/, ''));
      throw new ApiError(400, messageOf(err));
    }
    return this.exclusive(async () => {
      for (const e of this.coins.values()) {
        if (e.coin.name === coin.name) throw new ApiError(409, `name: coin ${coin.name} exists`, 'name');
        if (e.coin.rpcPort === coin.rpcPort)
          throw new ApiError(409, `rpcPort: ${coin.rpcPort} is ${e.coin.name}'s bridge`, 'rpcPort');
        if (e.coin.confPath === coin.confPath)
          throw new ApiError(409, `confPath: ${coin.confPath} is ${e.coin.name}'s conf`, 'confPath');
      }
      let entry: CoinEntry;
      try {
        entry = await this.addEntry(coin, true);
      } catch (err) {
        throw new ApiError(
          409,
          `rpcPort: cannot open the bridge on 127.0.0.1:${coin.rpcPort}: ${(err as { code?: string }).code ?? messageOf(err)}`,
          'rpcPort',
        );
      }
      let note: string | null = null;
      if (this.up === true && this.sequenceDone) {
        try {
          await this.addcoinStep(entry);
          if (!entry.registered) throw new ApiError(502, `iguana refused the coin: ${entry.lastError}`);
        } catch (err) {
          await this.dropEntry(entry);
          if (err instanceof IguanaUnreachable) throw new ApiError(503, `iguana unreachable: ${err.message}`);
          throw err;
        }
        if (coin.dpow) await this.dpowStep(entry);
        if (coin.dpow && !entry.dpowActive)
          note = `registered; dpow failed (${entry.lastError}), retried every round`;
      } else {
        note = 'iguana is not ready: the coin is registered by the start-up sequence';
      }
      this.removed.delete(coin.name);
      this.statusCache = undefined;
      this.persist();
      this.log.info(
        { coin: coin.name, registered: entry.registered, dpow: entry.dpowActive },
        'coin added at runtime',
      );
      return { status: entry.registered ? 201 : 202, coin: this.localStatus(entry), note };
    });
  }

  private async dropEntry(entry: CoinEntry): Promise<void> {
    this.coins.delete(entry.coin.name);
    await entry.bridge.close().catch(() => undefined);
    rmSync(entry.coin.confPath, { force: true });
  }

  /** DELETE /v1/coins/:name: stop bridging and forget it. Iguana itself keeps it until it restarts. */
  removeCoin(name: string): Promise<RemovedCoin & { note: string }> {
    return this.exclusive(async () => {
      const entry = this.coins.get(name);
      if (!entry) throw new ApiError(404, `no coin ${name}`, 'name');
      if (entry.coin.kind !== 'assetchain') {
        throw new ApiError(
          409,
          `${name} cannot be removed: every dPoW pair depends on KMD and its destination`,
          'name',
        );
      }
      await this.dropEntry(entry);
      const removed: RemovedCoin = { name, removedAt: this.now(), pendingIguanaRestart: entry.registered };
      if (entry.registered) this.removed.set(name, removed);
      this.statusCache = undefined;
      this.persist();
      this.log.info({ coin: name }, 'coin removed');
      const note = entry.registered
        ? `Iguana has no removecoin: ${name} stays registered (and dPoW'd) in Iguana until Iguana restarts; its bridge is closed, so Iguana's calls for it fail until then`
        : `${name} was not registered in Iguana`;
      return { ...removed, note };
    });
  }

  /** POST /v1/coins/:name/split: Iguana's splitfunds (10000-sat P2PK outputs, broadcast). */
  split(
    name: string,
    duplicates: number,
  ): Promise<{ coin: string; txid: unknown; completed: unknown; rawtx: unknown }> {
    return this.exclusive(async () => {
      const entry = this.coins.get(name);
      if (!entry) throw new ApiError(404, `no coin ${name}`, 'name');
      if (this.up !== true) throw new ApiError(503, 'iguana unreachable');
      if (!entry.registered) throw new ApiError(409, `${name} is not registered in Iguana yet`, 'name');
      let reply: IguanaReply;
      try {
        reply = await this.callIguana(splitfundsRequest(name, duplicates), `splitfunds ${name}`);
      } catch (err) {
        if (err instanceof IguanaUnreachable) throw new ApiError(503, `iguana unreachable: ${err.message}`);
        throw err;
      }
      const err = iguanaError(reply);
      if (err !== undefined) throw new ApiError(502, `splitfunds: ${err}`);
      this.statusCache = undefined;
      this.log.info({ coin: name, duplicates, txid: reply.txid, completed: reply.completed }, 'split');
      return { coin: name, txid: reply.txid, completed: reply.completed, rawtx: reply.result };
    });
  }

  // --- status ---------------------------------------------------------------------------------------

  private localStatus(e: CoinEntry): CoinStatus {
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

  /** Per-coin status, read from each coin's chain sidecar (cached for statusCacheMs). */
  async coinStatuses(): Promise<CoinStatus[]> {
    const now = this.now();
    if (this.statusCache && now - this.statusCache.at < this.o.statusCacheMs) return this.statusCache.coins;
    const coins = await Promise.all(this.ordered().map((e) => this.collect(e)));
    this.statusCache = { at: now, coins };
    this.o.metrics.observeCoins(coins);
    return coins;
  }

  private async collect(e: CoinEntry): Promise<CoinStatus> {
    const base = this.localStatus(e);
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
    const since = time === null ? null : Math.max(0, Math.floor(this.now() / 1000) - time);
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

  // --- runtime coins survive a sidecar restart --------------------------------------------------------

  private persist(): void {
    if (!this.o.stateFile) return;
    const coins: CoinConfig[] = [...this.coins.values()].filter((e) => e.runtime).map((e) => e.coin.config);
    writeFileAtomic(this.o.stateFile, `${JSON.stringify({ coins }, null, 2)}\n`);
  }
}

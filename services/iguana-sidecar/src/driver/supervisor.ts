import type { Logger } from 'pino';
import type { IguanaState, Readiness } from '../contract/index.js';
import { messageOf } from '../errors.js';
import { IguanaUnreachable, iguanaError } from '../iguana/client.js';
import { addnotaryRequest, helpRequest, myipaddrRequest } from '../iguana/requests.js';
import type { IguanaMetrics } from '../metrics.js';
import type { CoinRegistry } from './coin-registry.js';
import type { IguanaLine } from './iguana-line.js';
import { addcoinStep, dpowStep, electedSeeds, SequenceAborted, walletpassphrase } from './iguana-steps.js';

export interface SupervisorOptions {
  readonly line: IguanaLine;
  readonly registry: CoinRegistry;
  readonly notaryPubkey: string;
  readonly myipaddr: string;
  readonly passphraseFile: string;
  readonly electedFile: string;
  readonly addnotary?: readonly string[];
  readonly pollIntervalMs: number;
  readonly metrics: IguanaMetrics;
  readonly log: Logger;
  readonly now: () => number;
}

/**
 * Keeps Iguana set up the way the dPoW scripts do (m_notary_main, wp_7776, dpowassets): probes it every
 * round, runs the start-up sequence, notices when Iguana restarted (its API went away and came back, or
 * KMD is no longer registered), releases the UTXOs a killed Iguana left locked, and registers everything
 * again.
 */
export class IguanaSupervisor {
  private up: boolean | null = null;
  private sequenceDone = false;
  private lastSequenceAt: number | null = null;
  private lastError: string | null = null;
  private restarts = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: SupervisorOptions) {}

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

  /** Ends the loop; resolves when the round under way, if any, has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
  }

  /** One round: probe, then run the sequence, detect a restart or retry failed steps. */
  async tick(): Promise<void> {
    await this.o.line.exclusive(async () => {
      try {
        await this.round();
      } catch (err) {
        if (err instanceof IguanaUnreachable) {
          this.markDown(err.message);
          return;
        }
        this.lastError = messageOf(err);
        this.o.log.warn({ err: this.lastError }, 'iguana round failed');
      }
    });
  }

  /** True when Iguana answers and the sequence ran against it: coins can be registered at once. */
  isReady(): boolean {
    return this.up === true && this.sequenceDone;
  }

  isUp(): boolean {
    return this.up === true;
  }

  ready(): Readiness {
    if (this.up !== true)
      return { ready: false, reason: this.up === null ? 'iguana not probed yet' : 'iguana unreachable' };
    if (!this.sequenceDone)
      return {
        ready: false,
        reason: `start-up sequence not done${this.lastError ? `: ${this.lastError}` : ''}`,
      };
    return { ready: true, reason: null };
  }

  state(): IguanaState {
    return {
      port: this.o.line.port,
      up: this.up,
      sequenceDone: this.sequenceDone,
      lastSequenceAt: this.lastSequenceAt,
      restartsDetected: this.restarts,
      lastError: this.lastError,
    };
  }

  private async round(): Promise<void> {
    // dragon_node's liveness probe: `help` answering without an `error` key means Iguana is up.
    const help = await this.o.line.call(helpRequest(), 'help');
    if (iguanaError(help) !== undefined) throw new Error(`help: ${iguanaError(help)}`);
    if (this.up !== true) this.o.log.info({ port: this.o.line.port }, 'iguana reachable');
    this.up = true;
    this.o.metrics.iguanaUp.set(1);
    if (!this.sequenceDone) {
      await this.runSequence(false);
      return;
    }
    // Still the Iguana we set up? addcoin is answered "coin already there" before anything else is done
    // (iguana.md §3.3); "coin added" means a new Iguana that has nothing registered.
    const kmd = this.o.registry.kmd();
    const reply = await this.o.line.call(kmd.coin.addcoin, 'addcoin KMD');
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
    if (this.up !== false) this.o.log.warn({ reason }, 'iguana unreachable');
    this.up = false;
    this.o.metrics.iguanaUp.set(0);
    // Whether it restarted is known when it answers again; until then nothing is known to be registered.
    this.setSequenceDone(false);
    this.o.registry.forgetIguanaState();
  }

  private restartDetected(why: string): void {
    this.restarts++;
    this.o.metrics.restarts.inc();
    this.o.log.warn({ why }, 'iguana restarted: releasing locked UTXOs and registering again');
    this.setSequenceDone(false);
    this.o.registry.clearRemoved();
    this.o.registry.forgetIguanaState();
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
    this.o.log.info('running the start-up sequence');
    const { line, registry, log } = this.o;
    const step = async (body: Record<string, unknown>, what: string) => {
      const reply = await line.call(body, what);
      const err = iguanaError(reply);
      if (err !== undefined) throw new SequenceAborted(`${what}: ${err}`);
      return reply;
    };
    try {
      await step(myipaddrRequest(this.o.myipaddr), 'myipaddr');
      // The elected file is read (and checked) either way; the network's own peer list wins.
      const seeds = electedSeeds(this.o.electedFile);
      for (const seed of this.o.addnotary ?? seeds) await step(addnotaryRequest(seed), `addnotary ${seed}`);

      const kmd = registry.kmd();
      const added = await addcoinStep(line, kmd, log);
      if (!kmd.registered) throw new SequenceAborted(`addcoin KMD: ${kmd.lastError ?? 'failed'}`);
      if (added === 'coin added' && !alreadyUnlocked) {
        if (this.lastSequenceAt !== null) this.restartDetected('Iguana came back without KMD');
        kmd.registered = true;
        await this.unlockAll();
      }

      await walletpassphrase(line, this.o.passphraseFile, this.o.notaryPubkey);

      for (const e of registry.ordered().filter((x) => x !== kmd)) await addcoinStep(line, e, log);
      for (const e of registry.ordered())
        if (e.coin.dpow && e.registered) await dpowStep(line, e, this.o.notaryPubkey, log);

      this.setSequenceDone(true);
      this.lastSequenceAt = this.o.now();
      this.lastError = null;
      const coins = registry
        .ordered()
        .map((e) => ({ coin: e.coin.name, registered: e.registered, dpow: e.dpowActive }));
      log.info({ coins }, 'start-up sequence done');
    } catch (err) {
      if (!(err instanceof SequenceAborted)) throw err;
      this.lastError = err.message;
      log.warn({ err: err.message }, 'start-up sequence stopped; retrying next round');
    }
  }

  /** After the sequence: coins whose addcoin or dpow failed (a chain not ready yet) are tried again. */
  private async retryFailed(): Promise<void> {
    const { line, registry, log } = this.o;
    for (const e of registry.ordered()) if (!e.registered) await addcoinStep(line, e, log);
    for (const e of registry.ordered())
      if (e.coin.dpow && e.registered && !e.dpowActive) await dpowStep(line, e, this.o.notaryPubkey, log);
  }

  /** listlockunspent → lockunspent true on every coin's daemon, through its chain sidecar. */
  private async unlockAll(): Promise<void> {
    for (const e of this.o.registry.ordered()) {
      try {
        const n = await e.client.unlockAll();
        this.o.metrics.unlocked.inc({ coin: e.coin.name }, n);
        this.o.log.info({ coin: e.coin.name, unlocked: n }, 'released locked UTXOs');
      } catch (err) {
        e.lastError = `unlock: ${messageOf(err)}`;
        this.o.log.warn({ coin: e.coin.name, err: e.lastError }, 'could not release locked UTXOs');
      }
    }
  }
}

import { Counter, Gauge, Registry } from 'prom-client';
import type { CoinStatus } from './status.js';

const ACTIVITY_VALUE = { active: 2, irregular: 1, inactive: 0 } as const;

/** The Iguana sidecar's Prometheus metrics, in a registry of its own (tests run several in one process). */
export class IguanaMetrics {
  readonly registry = new Registry();
  readonly iguanaUp: Gauge;
  readonly sequenceDone: Gauge;
  readonly restarts: Counter;
  readonly unlocked: Counter<'coin'>;
  readonly iguanaCalls: Counter<'method' | 'outcome'>;
  /** Handed to the loopback bridges (same name and labels as the chain sidecar's). */
  readonly bridgeRequests: Counter<'bridge' | 'method' | 'outcome'>;
  private readonly coinGauges: Record<
    'registered' | 'dpow' | 'notarized' | 'since' | 'utxos' | 'activity',
    Gauge<'coin'>
  >;

  constructor() {
    const reg = [this.registry];
    this.iguanaUp = new Gauge({
      name: 'nn_iguana_up',
      help: '1 when Iguana answers its API',
      registers: reg,
    });
    this.sequenceDone = new Gauge({
      name: 'nn_iguana_sequence_done',
      help: '1 when the start-up sequence has run against the current Iguana',
      registers: reg,
    });
    this.restarts = new Counter({
      name: 'nn_iguana_restarts_total',
      help: 'Iguana restarts detected',
      registers: reg,
    });
    this.unlocked = new Counter({
      name: 'nn_iguana_unlocked_utxos_total',
      help: 'UTXOs unlocked on daemons after Iguana (re)starts',
      labelNames: ['coin'],
      registers: reg,
    });
    this.iguanaCalls = new Counter({
      name: 'nn_iguana_calls_total',
      help: 'Calls to Iguana by method and outcome (ok, error, unreachable)',
      labelNames: ['method', 'outcome'],
      registers: reg,
    });
    this.bridgeRequests = new Counter({
      name: 'nn_bridge_requests_total',
      help: 'Loopback bridge requests by coin, method and outcome',
      labelNames: ['bridge', 'method', 'outcome'],
      registers: reg,
    });
    const g = (name: string, help: string) => new Gauge({ name, help, labelNames: ['coin'], registers: reg });
    this.coinGauges = {
      registered: g('nn_iguana_coin_registered', '1 when Iguana has the coin (addcoin)'),
      dpow: g('nn_iguana_coin_dpow_active', '1 when Iguana dPoWs the coin'),
      notarized: g('nn_iguana_coin_notarized_height', 'Height of the last notarised block'),
      since: g('nn_iguana_coin_seconds_since_notarisation', 'Seconds since the last notarised block'),
      utxos: g('nn_iguana_coin_notary_utxos', 'Spendable notary-size UTXOs'),
      activity: g('nn_iguana_coin_activity', '2 active, 1 irregular, 0 inactive (notarised coins only)'),
    };
  }

  observeCoins(coins: readonly CoinStatus[]): void {
    for (const gauge of Object.values(this.coinGauges)) gauge.reset();
    for (const c of coins) {
      const set = (gauge: Gauge<'coin'>, v: number | null) => {
        if (v !== null) gauge.set({ coin: c.name }, v);
      };
      set(this.coinGauges.registered, c.registered ? 1 : 0);
      set(this.coinGauges.dpow, c.dpowActive ? 1 : 0);
      set(this.coinGauges.notarized, c.lastNotarisedHeight);
      set(this.coinGauges.since, c.secondsSinceNotarisation);
      set(this.coinGauges.utxos, c.notaryUtxos);
      set(this.coinGauges.activity, c.status === null ? null : ACTIVITY_VALUE[c.status]);
    }
  }
}

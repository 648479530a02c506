import { statfsSync } from 'node:fs';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChainStatus } from './contract/index.js';

/** The sidecar's Prometheus metrics, in a registry of its own (several sidecars can share a process in tests). */
export class SidecarMetrics {
  readonly registry = new Registry();
  private readonly gauges: Record<string, Gauge>;
  readonly rpcRequests: Counter<'method' | 'role' | 'outcome'>;
  readonly rpcDuration: Histogram<'outcome'>;
  readonly bridgeRequests: Counter<'bridge' | 'method' | 'outcome'>;

  /**
   * `volumePath`: a directory in the unit's data volume (the daemon's data dir or its conf's); its file
   * system is read at each scrape, so the disk gauges are never older than the scrape.
   */
  constructor(chain: string, volumePath?: string) {
    this.registry.setDefaultLabels({ chain });
    if (volumePath !== undefined) this.volumeGauges(volumePath);
    const gauge = (name: string, help: string) => new Gauge({ name, help, registers: [this.registry] });
    this.gauges = {
      up: gauge('nn_chain_rpc_up', '1 when the daemon RPC answers (warm-up included), else 0'),
      warmup: gauge('nn_chain_rpc_warmup', '1 while the daemon answers -28'),
      ready: gauge('nn_chain_ready', '1 when /readyz would answer 200'),
      blocks: gauge('nn_chain_blocks', 'Block height'),
      headers: gauge('nn_chain_headers', 'Height the network is known to be at (headers / longestchain)'),
      connections: gauge('nn_chain_connections', 'Peer connections'),
      notarized: gauge('nn_chain_notarized_height', 'Height of the last notarisation'),
      lag: gauge('nn_chain_notarized_lag_blocks', 'Blocks since the last notarised one'),
      balance: gauge('nn_chain_balance_coins', 'Spendable wallet balance'),
      utxos: gauge('nn_chain_notary_utxos', 'Spendable notary-size P2PK outputs'),
      wallet: gauge('nn_chain_wallet_bytes', 'Size of wallet.dat'),
      dpow: gauge(
        'nn_chain_dpow_active',
        '1 while dPoW notarises the chain, 0 after its sunset (komodod v0.9.2)',
      ),
      checkpoint: gauge(
        'nn_chain_checkpoint_height',
        'Height of the latest sync checkpoint (komodod v0.9.2)',
      ),
    };
    this.rpcRequests = new Counter({
      name: 'nn_sidecar_rpc_requests_total',
      help: 'RPC gateway requests by method, role and outcome',
      labelNames: ['method', 'role', 'outcome'],
      registers: [this.registry],
    });
    this.rpcDuration = new Histogram({
      name: 'nn_sidecar_rpc_duration_seconds',
      help: 'RPC gateway request duration, daemon call included',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
      registers: [this.registry],
    });
    this.bridgeRequests = new Counter({
      name: 'nn_bridge_requests_total',
      help: 'Loopback bridge requests by upstream, method and outcome',
      labelNames: ['bridge', 'method', 'outcome'],
      registers: [this.registry],
    });
  }

  private volumeGauges(path: string): void {
    const read = () => {
      try {
        const fs = statfsSync(path);
        return { size: fs.blocks * fs.bsize, avail: fs.bavail * fs.bsize, free: fs.bfree * fs.bsize };
      } catch {
        // Not mounted (yet): no sample rather than a wrong one.
        return null;
      }
    };
    new Gauge({
      name: 'nn_chain_volume_used_ratio',
      help: "Used share of the file system holding the unit's data volume (0-1, as df counts it)",
      // A label, so that an unreadable path leaves no sample (an unlabelled gauge always shows one).
      labelNames: ['path'],
      registers: [this.registry],
      collect() {
        const fs = read();
        if (fs === null || fs.size === 0) return this.reset();
        // df's Use%: used / (used + available to non-root); the root reserve counts as neither.
        const used = fs.size - fs.free;
        this.set({ path }, used / (used + fs.avail));
      },
    });
    new Gauge({
      name: 'nn_chain_volume_available_bytes',
      help: "Bytes left to the daemon on the file system holding the unit's data volume",
      labelNames: ['path'],
      registers: [this.registry],
      collect() {
        const fs = read();
        if (fs === null) return this.reset();
        this.set({ path }, fs.avail);
      },
    });
  }

  observe(status: ChainStatus, ready: boolean): void {
    const set = (g: Gauge | undefined, v: number | null) => {
      if (!g) return;
      if (v === null) g.reset();
      else g.set(v);
    };
    set(this.gauges.up, status.rpc === 'unreachable' ? 0 : 1);
    set(this.gauges.warmup, status.rpc === 'warmup' ? 1 : 0);
    set(this.gauges.ready, ready ? 1 : 0);
    set(this.gauges.blocks, status.blocks);
    set(this.gauges.headers, status.headers);
    set(this.gauges.connections, status.connections);
    set(this.gauges.notarized, status.notarized);
    set(this.gauges.lag, status.notarizedLag);
    set(this.gauges.balance, status.balance);
    set(this.gauges.utxos, status.notaryUtxos);
    set(this.gauges.wallet, status.walletBytes);
    set(this.gauges.dpow, status.dpowActive === null ? null : status.dpowActive ? 1 : 0);
    set(this.gauges.checkpoint, status.checkpoint?.height ?? null);
  }
}

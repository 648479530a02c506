import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { buildApi } from './api/server.js';
import { TokenStore } from './api/tokens.js';
import { LoopbackBridge } from './bridge/bridge.js';
import type { SidecarConfig } from './contract/index.js';
import { DaemonCredentials } from './daemon/credentials.js';
import { DaemonRpc } from './daemon/rpc.js';
import { SidecarMetrics } from './metrics.js';
import { StatusCache } from './status/cache.js';
import { stopDaemon } from './stop.js';

export interface RunningSidecar {
  /** host:port the API listens on (the real port when 0 was asked). */
  readonly address: string;
  /** Stops the API and bridges; with `stopDaemon` also the daemon, gracefully. */
  close(opts?: { stopDaemon?: boolean }): Promise<void>;
}

/** Starts bridges (conf files first), then the API. */
export async function startSidecar(
  cfg: SidecarConfig,
  log: Logger,
  tokens?: TokenStore,
): Promise<RunningSidecar> {
  const metrics = new SidecarMetrics(cfg.chain, volumePathOf(cfg));
  const rpc = new DaemonRpc(new DaemonCredentials(cfg.daemon));
  const bridges = cfg.bridges.map((b) => new LoopbackBridge(b, cfg.maxBodyBytes, metrics, log));
  let address: string;
  let status: StatusCache | undefined;
  let app: Awaited<ReturnType<typeof buildApi>> | undefined;
  try {
    for (const b of bridges) await b.start();
    status = new StatusCache(cfg, rpc, metrics, undefined, log);
    app = await buildApi({
      cfg,
      tokens: tokens ?? TokenStore.fromFile(cfg.tokensFile),
      rpc,
      status,
      metrics,
      log,
    });
    const sep = cfg.listen.lastIndexOf(':');
    const host = cfg.listen.slice(0, sep).replace(/^\[|\]$/g, '');
    address = await app.listen({ host, port: Number(cfg.listen.slice(sep + 1)) });
  } catch (err) {
    // Nothing may stay listening (a bridge holds the daemon's upstream port) when start-up fails.
    await app?.close();
    for (const b of bridges) await b.close();
    await rpc.close();
    throw err;
  }
  const api = app;
  // Bitcoin Core 0.21 starts without a wallet: the first status read after its warm-up gives it the
  // notary's (status.ts), here without waiting for a probe, so a daemon is never long walletless.
  const stopKick = cfg.flavour === 'bitcoin' && status ? kickUntilAnswered(status, log) : () => undefined;
  log.info({ address, flavour: cfg.flavour, bridges: cfg.bridges.map((b) => b.name) }, 'sidecar listening');
  return {
    address: address.replace(/^https?:\/\//, ''),
    async close(opts = {}) {
      stopKick();
      await api.close();
      for (const b of bridges) await b.close();
      if (opts.stopDaemon) await stopDaemon(rpc, cfg.stopTimeoutSec, log);
      await rpc.close();
    },
  };
}

/** Reads the status every 2 s until the daemon answers (rpc 'ok'); returns the function that stops it. */
function kickUntilAnswered(status: StatusCache, log: Logger): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = (): void => {
    status
      .get({ fresh: true })
      .then((s) => s.rpc === 'ok')
      .catch((err: unknown) => {
        log.warn({ err }, 'status read failed');
        return false;
      })
      .then((done) => {
        if (!done && !stopped) timer = setTimeout(tick, 2_000);
      });
  };
  tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** A directory in the unit's data volume: the daemon's data dir, else its conf's or the tokens' directory. */
function volumePathOf(cfg: SidecarConfig): string {
  if (cfg.daemon.datadir) return cfg.daemon.datadir;
  return dirname(cfg.daemon.conf ?? cfg.tokensFile);
}

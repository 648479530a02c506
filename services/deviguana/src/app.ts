import { readFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { ElectedFileError, parseElectedFile } from '@nn/komodo-params';
import type { Logger } from 'pino';
import { dispatchJson } from './api/dispatch.js';
import type { CliOptions } from './cli.js';
import { type DaemonCaller, HttpDaemonCaller } from './daemon/rpc.js';
import { NotarisationEngine } from './dpow/engine.js';
import { startApiServer } from './http/server.js';
import type { IguanaState } from './state.js';

export class StartError extends Error {}

export interface Deviguana {
  readonly state: IguanaState;
  readonly port: number;
  /** Resolves once stopped (SIGTERM, `SuperNET stop` or stop()). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export async function startDeviguana(
  opts: CliOptions,
  log: Logger,
  caller: DaemonCaller = new HttpDaemonCaller(),
): Promise<Deviguana> {
  let text: string;
  try {
    text = readFileSync(opts.electedPath, 'utf8');
  } catch {
    throw new StartError(`didnt find any elected notaries JSON in (${opts.electedPath})`);
  }
  let elected: ReturnType<typeof parseElectedFile>;
  try {
    elected = parseElectedFile(text);
  } catch (e) {
    const why = e instanceof ElectedFileError ? e.message : String(e);
    throw new StartError(`didnt find any elected notaries JSON in (${opts.electedPath}): ${why}`);
  }
  const port = elected.rpcport ?? opts.port;
  log.info(
    `numnotaries ${elected.notaries.length}, port.${elected.port} minsigs.${elected.minsigs} BTCminsigs.${elected.btcMinsigs ?? 0}`,
  );
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  let server: Server | undefined;
  let stopping: Promise<void> | undefined;
  const engine = new NotarisationEngine({
    caller,
    coin: (s) => state.coins.get(s),
    notaries: elected.notaries,
    log,
    pollMs: opts.pollMs,
  });
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('stopping');
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      await engine.stop();
      log.info('stopped');
      resolveDone();
    })();
    return stopping;
  };
  const state: IguanaState = {
    options: { port, electedPath: opts.electedPath, devnet: opts.devnet, pollMs: opts.pollMs },
    elected,
    log,
    caller,
    coins: new Map(),
    rpcsymbol: 'BTCD',
    wallet: undefined,
    ipaddr: '',
    notaryPeers: [],
    engine,
    dpowPending: false,
    requestStop: () => void stop(),
  };
  server = await startApiServer(
    port,
    (value, ctx) => dispatchJson(state, value, ctx),
    log,
    '127.0.0.1',
    opts.build,
  );
  return { state, port, done, stop };
}

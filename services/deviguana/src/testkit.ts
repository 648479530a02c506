// Test helpers: an in-memory IguanaState with a scripted daemon, no sockets.
import { Writable } from 'node:stream';
import { parseElectedFile } from '@nn/komodo-params';
import type { Logger } from 'pino';
import { type DaemonCaller, type DaemonEndpoint, DaemonRpcError } from './daemon/rpc.js';
import { NotarisationEngine } from './dpow/engine.js';
import { deviguanaLogger } from './log.js';
import type { IguanaState } from './state.js';

export type FakeMethod = (params: readonly unknown[], ep: DaemonEndpoint) => unknown;

/** A daemon per symbol answering from a table of methods; every call is recorded. */
export class FakeDaemons implements DaemonCaller {
  readonly calls: Array<{ symbol: string; method: string; params: readonly unknown[] }> = [];
  readonly methods = new Map<string, FakeMethod>();

  on(symbol: string, method: string, fn: FakeMethod): this {
    this.methods.set(`${symbol}/${method}`, fn);
    return this;
  }

  async call<T>(ep: DaemonEndpoint, method: string, params: readonly unknown[] = []): Promise<T> {
    this.calls.push({ symbol: ep.symbol, method, params });
    const fn = this.methods.get(`${ep.symbol}/${method}`);
    if (!fn) throw new DaemonRpcError(method, 'Method not found', -32601);
    return fn(params, ep) as T;
  }
}

export function captureLog(): { log: Logger; text: () => string } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { log: deviguanaLogger({ level: 'debug', destination }), text: () => text };
}

export const TEST_PUBKEY = '02a854251adfee222bede8396fed0756985d4ea905f72611740867c7a4ad6488c1';

export function fakeState(caller: FakeDaemons, log: Logger, electedJson?: object): IguanaState {
  const elected = parseElectedFile(
    JSON.stringify(
      electedJson ?? {
        port: 17775,
        minsigs: 1,
        BTCminsigs: 1,
        seeds: [],
        notaries: [{ dev_NN: TEST_PUBKEY }],
      },
    ),
  );
  const state: IguanaState = {
    options: { port: 7776, electedPath: 'elected', devnet: true, pollMs: 1000 },
    elected,
    log,
    caller,
    coins: new Map(),
    rpcsymbol: 'BTCD',
    wallet: undefined,
    ipaddr: '',
    notaryPeers: [],
    engine: new NotarisationEngine({
      caller,
      coin: (s) => state.coins.get(s),
      notaries: elected.notaries,
      log,
      pollMs: 1000,
    }),
    dpowPending: false,
    requestStop: () => {},
  };
  return state;
}

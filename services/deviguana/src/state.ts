import type { ElectedFile } from '@nn/komodo-params';
import type { Logger } from 'pino';
import type { Coin } from './coins/coin.js';
import type { DaemonCaller } from './daemon/rpc.js';
import type { NotarisationEngine } from './dpow/engine.js';
import type { WalletKey } from './wallet.js';

export interface DeviguanaOptions {
  /** HTTP API port. */
  readonly port: number;
  /** The elected file's path (for logs and status). */
  readonly electedPath: string;
  /** --devnet: DPOW_MINSIGS' floor becomes 1 and `notarizations` counts 1-signature notarisations. */
  readonly devnet: boolean;
  /** Milliseconds between looks at each source chain's tip (Iguana caches tips for 2 s). */
  readonly pollMs: number;
}

/** Everything the API and the notarisation loop share: one per deviguana process. */
export interface IguanaState {
  readonly options: DeviguanaOptions;
  readonly elected: ElectedFile;
  readonly log: Logger;
  readonly caller: DaemonCaller;
  readonly coins: Map<string, Coin>;
  /** myinfo->rpcsymbol: "BTCD" until the first successful addcoin. */
  rpcsymbol: string;
  wallet: WalletKey | undefined;
  ipaddr: string;
  readonly notaryPeers: string[];
  readonly engine: NotarisationEngine;
  /** Serialises `dpow` registrations ("cant dPoW more than one coin at a time"). */
  dpowPending: boolean;
  /** Called by `SuperNET stop` (local callers only). */
  requestStop: () => void;
}

import type { NetworkPrefixes } from '@nn/chain-crypto';
import type { ChainRules } from '../chain/rules.js';
import type { CheckpointEra, KomodoVersion } from './checkpoint-era.js';
import type { DaemonName } from './daemon-name.js';

export type Flavour = 'komodo' | 'bitcoin';

/** Everything a devchain instance runs with, resolved from its flags and conf file. */
export interface DevchainConfig {
  readonly flavour: Flavour;
  /** The real daemon this instance stands in for (its program name or -devas; else from -devflavour). */
  readonly daemon: DaemonName;
  /** komodod's version (-devversion, default 0.8.2); undefined for kmdclassicd, litecoind, bitcoind. */
  readonly komodoVersion: KomodoVersion | undefined;
  /** komodod v0.9.2's sunset and sync checkpoints for this chain; undefined when dPoW never ends. */
  readonly era: CheckpointEra | undefined;
  /** `KMD`, the ac_name, `LTC` or `BTC`. */
  readonly name: string;
  readonly isAssetchain: boolean;
  /** Product name in replies: "Komodo", "Litecoin", "Bitcoin". */
  readonly product: string;
  readonly network: 'main' | 'test' | 'regtest';
  readonly home: string;
  readonly dataDir: string;
  readonly confPath: string;
  readonly p2pPort: number;
  readonly rpcPort: number;
  /** Network magic as a uint32 (komodod prints it as a signed int in getinfo). */
  readonly magic: number;
  readonly rules: ChainRules;
  readonly prefixes: NetworkPrefixes;
  /** -ac_cc, shown as getinfo's CCid when set. */
  readonly cc: number;
  readonly rpc: {
    readonly user: string;
    readonly password: string;
    readonly allowIps: readonly string[];
    readonly binds: ReadonlyArray<{ host: string; port: number }>;
    readonly workQueue: number;
  };
  readonly p2p: {
    readonly listen: boolean;
    readonly bindHost: string;
    readonly addnodes: readonly string[];
    readonly maxConnections: number;
  };
  readonly gen: boolean;
  readonly genproclimit: number;
  /** Seconds between blocks when generating (-ac_blocktime, 60 for KMD, 150 LTC, 600 BTC; -devblocktime). */
  readonly blockTimeSec: number;
  /** Extra seconds the -28 warm-up lasts on top of the real start-up work (-devwarmup). */
  readonly warmupSec: number;
  readonly pubkey: string | undefined;
  /** Assetchain fields of getinfo after `rpcport` (magic, premine, eras, reward, ...). */
  readonly getinfoExtras: Readonly<Record<string, unknown>>;
  /** Where the destination chain's conf is read: an assetchain's parent komodo.conf, KMD's -notary. */
  readonly dest: { readonly kind: 'kmd' | 'btc'; readonly confPath: string } | undefined;
  readonly sapling: number;
  /**
   * -devnotaries: the elected notaries from an Iguana elected file (komodod has its season's list
   * compiled in). Undefined: nothing is ever notarised, as on a chain without notaries.
   */
  readonly notaries: { readonly path: string; readonly pubkeys: readonly string[] } | undefined;
  /**
   * litecoind/bitcoind 0.21's wallets: `-walletdir` (absolute, checked at start) and the names `-wallet`
   * and the conf's `wallet=` lines load at start, command line first. Undefined for komodod, whose one
   * wallet is always `<datadir>/wallet.dat`.
   */
  readonly wallets: { readonly dir: string | undefined; readonly names: readonly string[] } | undefined;
}

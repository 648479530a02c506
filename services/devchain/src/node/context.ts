import type { NetworkPrefixes } from '@nn/chain-crypto';
import type { AddBlockResult, ChainState } from '../chain/chainstate.js';
import type { Mempool } from '../chain/mempool.js';
import type { Tx } from '../chain/tx.js';
import type { SyncCheckpoints } from '../notary/sync-checkpoint.js';
import type { Wallet } from '../wallet/wallet.js';
import type { WalletSet } from '../wallet/wallet-set.js';
import type { DevchainConfig } from './config.js';

export interface PeerInfo {
  readonly id: number;
  readonly addr: string;
  readonly inbound: boolean;
  readonly version: number;
  readonly subver: string;
  readonly startingHeight: number;
  readonly syncedHeight: number;
  readonly connTime: number;
  readonly lastSend: number;
  readonly lastRecv: number;
  readonly bytesSent: number;
  readonly bytesRecv: number;
  readonly pingTime: number | undefined;
}

/** What RPC sees of the p2p layer. */
export interface PeerView {
  readonly connectionCount: number;
  peers(): PeerInfo[];
  /** Highest chain height a peer has announced (komodod's KOMODO_LONGESTCHAIN); 0 without peers. */
  readonly longestChain: number;
  /** addnode add|remove|onetry; throws RpcError -23/-24 like komodod. */
  addNode(addr: string, command: 'add' | 'remove' | 'onetry'): void;
}

export interface MinerControl {
  readonly generating: boolean;
  readonly genproclimit: number;
  setGenerate(on: boolean, genproclimit: number): void;
  /** Mines `count` blocks now, paying `payout` (or the default payout); returns their hashes. */
  mineNow(count: number, payout?: Uint8Array): string[];
}

/** The chain's own notarisation state (komodod's NOTARIZED_HEIGHT/HASH/DESTTXID). */
export interface NotarisationState {
  readonly height: number;
  readonly hash: string;
  readonly desttxid: string;
  readonly prevMoMheight: number;
}

/** What an assetchain learns from KMD (or KMD from LTC) through the parent conf file. */
export interface DestinationView {
  /** KMD's current height as komodod reads it (`KMDnotarized_height`); 0 until KMD answers. */
  readonly destHeight: number;
  /** Height of the notarisation transaction on the destination chain; 0 = unknown ("mempool"). */
  readonly notarizedTxidHeight: number;
  /** Asks the destination chain again (komodod does so while answering getinfo). */
  refresh(): Promise<void>;
}

export interface NodeContext {
  readonly cfg: DevchainConfig;
  readonly prefixes: NetworkPrefixes;
  readonly chain: ChainState;
  readonly mempool: Mempool;
  /**
   * The request's wallet: komodod's one wallet; for litecoind/bitcoind the /wallet/<name> one or the
   * only one loaded, else an RpcError -18 (none loaded, or not that one) or -19 (several loaded).
   */
  readonly wallet: Wallet;
  /** litecoind/bitcoind 0.21's loaded wallets (createwallet, loadwallet, ...); undefined for komodod. */
  readonly wallets: WalletSet | undefined;
  /** The request's /wallet/<name>, decoded; undefined for a request to "/". */
  readonly walletName: string | undefined;
  /** Tells every loaded wallet of a transaction that entered the mempool. */
  noticeWalletTx(t: Tx): void;
  readonly miner: MinerControl;
  readonly peers: PeerView;
  readonly notarised: NotarisationState;
  readonly dest: DestinationView;
  /** komodod v0.9.2's dPoW sunset and sync checkpoints; undefined for daemons without them. */
  readonly checkpoints: SyncCheckpoints | undefined;
  /** -pubkey or setpubkey, hex; undefined when none. */
  pubkey: string | undefined;
  /** Accepts a block made or received here, relaying it to peers when it extends the chain. */
  submitBlock(block: import('../chain/block.js').Block): AddBlockResult;
  /** Announces a transaction accepted from RPC to peers. */
  relayTx(txid: string): void;
  /** Begins a clean shutdown after the current reply is sent. */
  requestStop(): void;
}

import { join } from 'node:path';
import type { NetworkPrefixes } from '@nn/chain-crypto';
import {
  fromHex as fromHexPubkey,
  generatePrivateKey,
  keyPairFromPrivateKey,
  p2pkScript,
} from '@nn/chain-crypto';
import type { Logger } from 'pino';
import { type Block, deserializeBlock, serializeBlock } from '../chain/block.js';
import { type AddBlockResult, ChainState } from '../chain/chainstate.js';
import { genesisBlock } from '../chain/genesis.js';
import { Mempool } from '../chain/mempool.js';
import { assembleBlock } from '../chain/miner.js';
import type { Tx } from '../chain/tx.js';
import { ensureDataDir, writeAssetchainConf } from '../datadir/first-start.js';
import { DataDirLock } from '../datadir/lock.js';
import { DestinationClient, NO_DESTINATION } from '../notary/dest-client.js';
import { NO_NOTARISATION, NotarisationTracker } from '../notary/notarisation-tracker.js';
import { SyncCheckpoints } from '../notary/sync-checkpoint.js';
import { P2pNetwork } from '../p2p/network.js';
import type { Peer } from '../p2p/peer.js';
import { AllowList } from '../rpc/allowip.js';
import { RpcError } from '../rpc/errors.js';
import { buildMethodTable } from '../rpc/methods/index.js';
import { RpcServer } from '../rpc/server.js';
import { RecordLog } from '../store/record-log.js';
import { Wallet } from '../wallet/wallet.js';
import { WalletSet, walletDirOf, walletDirProblem } from '../wallet/wallet-set.js';
import type { DevchainConfig } from './config.js';
import type { MinerControl, NodeContext, NotarisationState, PeerView } from './context.js';
import { BITCOIN_PROTOCOL_VERSION, komodoVersionInfo, subversion } from './versions.js';

/**
 * One running devchain: loads its data dir under a -28 warm-up (block replay, wallet), then serves
 * RPC, p2p and, when generating, makes blocks on a timer. `stop()` (the `stop` RPC or SIGTERM) ends
 * it cleanly; SIGKILL at any point loses at most the record being written.
 */
export class DevchainNode implements NodeContext, MinerControl {
  readonly prefixes: NetworkPrefixes;
  pubkey: string | undefined;
  chain!: ChainState;
  mempool!: Mempool;
  /** komodod's one wallet (<datadir>/wallet.dat); undefined for litecoind/bitcoind, which use `wallets`. */
  private komodoWallet: Wallet | undefined;
  wallets: WalletSet | undefined;
  readonly walletName: string | undefined = undefined;
  peers: PeerView;
  dest: DestinationClient | typeof NO_DESTINATION;
  checkpoints: SyncCheckpoints | undefined;
  private p2p: P2pNetwork | undefined;
  private notarisations: NotarisationTracker | undefined;
  private blockLog: RecordLog | undefined;
  private lock: DataDirLock | undefined;
  private rpc: RpcServer<NodeContext> | undefined;
  private warmup: string | undefined = 'RPC server started';
  private mineTimer: NodeJS.Timeout | undefined;
  private generatingFlag: boolean;
  private procLimit: number;
  private stopping: Promise<void> | undefined;
  private readonly stopped: Promise<void>;
  private resolveStopped!: () => void;

  private constructor(
    readonly cfg: DevchainConfig,
    private readonly log: Logger,
  ) {
    this.prefixes = cfg.prefixes;
    this.pubkey = cfg.pubkey;
    this.generatingFlag = cfg.gen;
    this.procLimit = cfg.genproclimit;
    this.peers = { connectionCount: 0, longestChain: 0, peers: () => [], addNode: () => undefined };
    this.dest = cfg.dest
      ? new DestinationClient(
          cfg.dest.kind,
          cfg.dest.confPath,
          cfg.dest.kind === 'kmd' ? 7771 : 9332,
          () => this.notarised.desttxid,
        )
      : NO_DESTINATION;
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  /**
   * Starts a node. `confExists` false means an assetchain's first start: NAME.conf is written now,
   * after every flag has been checked.
   */
  static async start(cfg: DevchainConfig, log: Logger, confExists: boolean): Promise<DevchainNode> {
    let effective = cfg;
    ensureDataDir(cfg.dataDir, cfg.flavour === 'bitcoin');
    const lock = DataDirLock.acquire(cfg.dataDir, cfg.product);
    try {
      if (cfg.isAssetchain && !confExists) {
        const creds = writeAssetchainConf(cfg.confPath, cfg.name, cfg.rpcPort);
        effective = {
          ...cfg,
          rpc: {
            ...cfg.rpc,
            user: cfg.rpc.user || creds.rpcuser,
            password: cfg.rpc.password || creds.rpcpassword,
          },
        };
        log.info({ conf: cfg.confPath }, 'wrote assetchain conf on first start');
      }
      if (!effective.rpc.user || !effective.rpc.password) {
        throw new Error(
          `To use ${cfg.daemon}, you must set rpcuser and rpcpassword in the configuration file: ${cfg.confPath}`,
        );
      }
      const node = new DevchainNode(effective, log);
      node.lock = lock;
      await node.startRpc();
      void node.load().catch((err: unknown) => {
        log.fatal({ err }, 'start-up failed');
        void node.stop(1);
      });
      return node;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** komodod's NOTARIZED_HEIGHT/HASH/DESTTXID and prevMoMheight; all zero without -devnotaries. */
  get notarised(): NotarisationState {
    return this.notarisations?.state ?? NO_NOTARISATION;
  }

  /** Resolves when the node has stopped (after `stop` RPC, SIGTERM or a fatal error). */
  get done(): Promise<void> {
    return this.stopped;
  }

  private async startRpc(): Promise<void> {
    const { cfg } = this;
    this.rpc = new RpcServer<NodeContext>({
      binds: cfg.rpc.binds,
      user: cfg.rpc.user,
      password: cfg.rpc.password,
      allowList: new AllowList(cfg.rpc.allowIps),
      workQueue: cfg.rpc.workQueue,
      methods: buildMethodTable(
        cfg.flavour,
        cfg.product,
        cfg.era !== undefined,
        cfg.daemon === 'kmdclassicd',
      ),
      ctx: this,
      walletEndpoint: cfg.flavour === 'bitcoin',
      contextFor: (walletName) => (walletName === undefined ? this : this.forWallet(walletName)),
      warmupStatus: () => this.warmup,
      logger: this.log,
    });
    await this.rpc.start();
    this.log.info({ binds: cfg.rpc.binds, name: cfg.name }, 'RPC server started');
  }

  private async load(): Promise<void> {
    const { cfg, log } = this;
    this.warmup = 'Loading block index...';
    if (cfg.warmupSec > 0) await new Promise((r) => setTimeout(r, cfg.warmupSec * 1000));
    this.chain = new ChainState(cfg.rules, genesisBlock(cfg.rules));
    const checkpoints = cfg.era ? new SyncCheckpoints(this.chain, cfg.era) : undefined;
    this.checkpoints = checkpoints;
    if (cfg.notaries && cfg.flavour === 'komodo') {
      // Listening before the replay rebuilds the state from the blocks, as komodod's komodostate file keeps it.
      this.notarisations = new NotarisationTracker(this.chain, {
        notaries: cfg.notaries.pubkeys,
        symbol: cfg.name,
        isAssetchain: cfg.isAssetchain,
        ...(checkpoints ? { dpowEnded: (entry) => checkpoints.endsDpow(entry) } : {}),
      });
      this.chain.listen(this.notarisations);
    }
    this.mempool = new Mempool(this.chain);
    const {
      log: blockLog,
      records,
      truncatedBytes,
    } = RecordLog.open(join(cfg.dataDir, 'blocks', 'blocks.dat'));
    this.blockLog = blockLog;
    if (truncatedBytes > 0)
      log.warn({ truncatedBytes }, 'cut a torn record off the block file (unclean shutdown)');
    this.warmup = 'Verifying blocks...';
    for (const bytes of records) {
      const result = this.chain.addBlock(deserializeBlock(bytes, cfg.rules.format), { verifyScripts: false });
      if (result.status === 'invalid')
        log.warn({ reason: result.reason }, 'skipped an invalid block from disk');
    }
    const reaccepted = this.loadWallets();
    this.warmup = 'Activating best chain...';
    const p2p = new P2pNetwork(
      {
        magic: cfg.magic,
        port: cfg.p2pPort,
        bindHost: cfg.p2p.bindHost,
        listen: cfg.p2p.listen,
        addnodes: cfg.p2p.addnodes,
        maxConnections: cfg.p2p.maxConnections,
        protocolVersion:
          cfg.flavour === 'komodo' ? komodoVersionInfo(cfg).protocol : BITCOIN_PROTOCOL_VERSION,
        userAgent: cfg.flavour === 'komodo' ? komodoVersionInfo(cfg).subversion : subversion('bitcoin'),
        logger: log,
      },
      {
        chain: this.chain,
        mempool: this.mempool,
        acceptBlock: (block, from) => this.acceptBlock(block, from),
        acceptTx: (t, from) => this.acceptTx(t, from),
      },
    );
    await p2p.start();
    this.p2p = p2p;
    this.peers = p2p;
    this.warmup = undefined;
    log.info(
      { height: this.chain.height, reaccepted, p2pport: cfg.p2pPort, rpcport: cfg.rpcPort },
      'Done loading',
    );
    this.scheduleMining();
  }

  // --- wallets ------------------------------------------------------------------------------------

  /**
   * komodod opens (creating if absent) <datadir>/wallet.dat. litecoind/bitcoind 0.21 create none: they
   * load the wallets -wallet, wallet= and settings.json name, else the unnamed one if it exists.
   */
  private loadWallets(): number {
    const { cfg } = this;
    if (!cfg.wallets) {
      this.warmup = 'Loading wallet...';
      this.komodoWallet = Wallet.open(
        join(cfg.dataDir, 'wallet.dat'),
        this.chain,
        this.mempool,
        this.prefixes,
      );
      this.warmup = 'Rescanning...';
      return this.komodoWallet.reacceptUnconfirmed();
    }
    if (cfg.wallets.dir !== undefined) {
      const problem = walletDirProblem(cfg.wallets.dir);
      if (problem) throw new Error(`Error: ${problem}`);
    }
    const walletDir = walletDirOf(cfg.dataDir, cfg.wallets.dir);
    this.log.info({ walletDir }, `Using wallet directory ${walletDir}`);
    this.warmup = 'Verifying wallet(s)...';
    const set = new WalletSet({
      dataDir: cfg.dataDir,
      walletDir,
      chain: this.chain,
      mempool: this.mempool,
      prefixes: this.prefixes,
      warn: (message) => this.log.warn(message),
    });
    this.warmup = 'Loading wallet...';
    set.loadAtStart(cfg.wallets.names);
    this.wallets = set;
    this.log.info({ wallets: set.names() }, 'wallets loaded');
    return 0;
  }

  get wallet(): Wallet {
    if (this.komodoWallet) return this.komodoWallet;
    if (!this.wallets) throw new RpcError(-28, 'Loading wallet...');
    return this.wallets.forRequest(this.walletName);
  }

  noticeWalletTx(t: Tx): void {
    this.komodoWallet?.noticeMempoolTx(t);
    this.wallets?.noticeMempoolTx(t);
  }

  /**
   * The node as a request to /wallet/<name> sees it: the same node (a write lands on it), with that
   * request's wallet name and wallet.
   */
  private forWallet(walletName: string): NodeContext {
    return new Proxy<DevchainNode>(this, {
      get: (target, prop) => {
        if (prop === 'walletName') return walletName;
        if (prop === 'wallet') return target.wallets?.forRequest(walletName) ?? target.wallet;
        return Reflect.get(target, prop, target);
      },
    });
  }

  /**
   * What a block pays when no address is given: -pubkey, else the wallet's key. Real litecoind has no
   * miner; devchain's (-gen) pays a key of its own when no single wallet is loaded.
   */
  private defaultPayout(): Uint8Array {
    if (this.pubkey) return p2pkScript(fromHexPubkey(this.pubkey));
    if (this.komodoWallet) return p2pkScript(this.komodoWallet.defaultKey.publicKey);
    const only = this.wallets?.all();
    if (only?.length === 1 && only[0]) return p2pkScript(only[0].defaultKey.publicKey);
    this.minerKey ??= keyPairFromPrivateKey(generatePrivateKey(), true);
    return p2pkScript(this.minerKey.publicKey);
  }

  private minerKey: ReturnType<typeof keyPairFromPrivateKey> | undefined;

  // --- blocks -------------------------------------------------------------------------------------

  submitBlock(block: Block): AddBlockResult {
    return this.acceptBlock(block, undefined);
  }

  private acceptBlock(block: Block, from: Peer | undefined): AddBlockResult {
    const result = this.chain.addBlock(block, { verifyScripts: from !== undefined });
    if (result.status === 'active' || result.status === 'side') {
      this.blockLog?.append(serializeBlock(block, this.cfg.rules.format));
    }
    if (result.status === 'active') {
      this.p2p?.announceBlock(result.entry.hash, from);
      if (result.disconnected > 0)
        this.log.info(
          { height: result.entry.height, disconnected: result.disconnected },
          'reorganised to a longer chain',
        );
    }
    return result;
  }

  private acceptTx(t: Tx, from: Peer): boolean {
    try {
      this.mempool.accept(t);
      this.noticeWalletTx(t);
      this.p2p?.announceTx(t.txid, from);
      return true;
    } catch {
      return false;
    }
  }

  /** Relays a transaction this node accepted from RPC. */
  relayTx(txid: string): void {
    this.p2p?.announceTx(txid);
  }

  // --- mining -------------------------------------------------------------------------------------

  get miner(): MinerControl {
    return this;
  }

  get generating(): boolean {
    return this.generatingFlag;
  }

  get genproclimit(): number {
    return this.procLimit;
  }

  setGenerate(on: boolean, genproclimit: number): void {
    this.generatingFlag = on;
    this.procLimit = genproclimit;
    this.scheduleMining();
  }

  mineNow(count: number, payout?: Uint8Array): string[] {
    const hashes: string[] = [];
    for (let i = 0; i < count; i++) {
      const block = assembleBlock(
        this.chain,
        this.mempool,
        payout ?? this.defaultPayout(),
        Math.floor(Date.now() / 1000),
      );
      const result = this.submitBlock(block);
      if (result.status !== 'active') throw new Error(`mined block was not accepted: ${result.status}`);
      hashes.push(result.entry.hash);
    }
    return hashes;
  }

  private scheduleMining(): void {
    if (this.mineTimer) clearTimeout(this.mineTimer);
    this.mineTimer = undefined;
    if (!this.generatingFlag || this.stopping || this.warmup !== undefined) return;
    // Real block intervals vary; a ±50% jitter also keeps two mining instances from tying forever.
    const delay = this.cfg.blockTimeSec * 1000 * (0.5 + Math.random());
    this.mineTimer = setTimeout(() => {
      try {
        this.mineNow(1);
      } catch (err) {
        this.log.error({ err }, 'mining failed');
      }
      this.scheduleMining();
    }, delay);
  }

  // --- shutdown -----------------------------------------------------------------------------------

  requestStop(): void {
    // komodod's `stop` turns the miner off (GenerateBitcoins(false)) before anything else, so no
    // block is made after the call; the reply is sent first, then the node shuts down.
    this.generatingFlag = false;
    this.scheduleMining();
    setTimeout(() => void this.stop(0), 50);
  }

  stop(exitCode = 0): Promise<void> {
    this.stopping ??= (async () => {
      this.log.info({ exitCode }, 'shutting down');
      if (this.mineTimer) clearTimeout(this.mineTimer);
      await this.rpc?.close();
      await this.p2p?.stop();
      this.blockLog?.close();
      this.komodoWallet?.close();
      this.wallets?.closeAll();
      this.lock?.release();
      this.exitCode = exitCode;
      this.resolveStopped();
    })();
    return this.stopping;
  }

  exitCode = 0;
}

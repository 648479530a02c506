import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { type Block, deserializeBlock, serializeBlock } from '../chain/block.js';
import type { AddBlockResult, ChainState } from '../chain/chainstate.js';
import type { Mempool } from '../chain/mempool.js';
import { decodeTx, type Tx } from '../chain/tx.js';
import type { PeerInfo, PeerView } from '../node/context.js';
import { RpcCode, RpcError } from '../rpc/errors.js';
import { Peer } from './peer.js';
import {
  decodeGetBlocks,
  decodeInv,
  decodeNonce,
  decodeVersion,
  encodeGetBlocks,
  encodeInv,
  encodeNonce,
  encodeVersion,
  type Frame,
  INV_BLOCK,
  INV_TX,
  type InvItem,
  magicPrefix,
} from './wire.js';

export interface P2pOptions {
  readonly magic: number;
  readonly port: number;
  readonly bindHost: string;
  readonly listen: boolean;
  readonly addnodes: readonly string[];
  readonly maxConnections: number;
  readonly protocolVersion: number;
  readonly userAgent: string;
  readonly logger: Logger;
}

/** What the network hands to the node. */
export interface P2pHost {
  readonly chain: ChainState;
  readonly mempool: Mempool;
  acceptBlock(block: Block, from: Peer): AddBlockResult;
  acceptTx(t: Tx, from: Peer): boolean;
}

/** Blocks announced per getblocks reply, as in Bitcoin's ProcessGetBlocks. */
const MAX_INV_BLOCKS = 500;
const RECONNECT_MS = 2_000;
const PING_MS = 30_000;

/**
 * devchain's p2p node: Bitcoin-framed messages with the chain's magic (so a peer of another chain is
 * dropped at its first byte), version/verack, ping/pong, and block and transaction relay through
 * inv/getdata/getblocks. Enough for instances of one chain to find and follow the longest chain.
 */
export class P2pNetwork implements PeerView {
  private server: Server | undefined;
  private readonly conns = new Map<number, Peer>();
  private readonly added = new Set<string>();
  private readonly connecting = new Set<string>();
  private nextId = 1;
  private readonly nonce = randomBytes(8).readBigUInt64LE();
  private readonly magic: Uint8Array;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly opts: P2pOptions,
    private readonly host: P2pHost,
  ) {
    this.magic = magicPrefix(opts.magic);
    for (const a of opts.addnodes) this.added.add(normaliseAddr(a, opts.port));
  }

  async start(): Promise<void> {
    if (this.opts.listen) {
      const server = createServer((socket) => this.adopt(socket, true));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.opts.port, this.opts.bindHost, () => {
          server.off('error', reject);
          resolve();
        });
      });
      this.server = server;
    }
    this.timers.push(setInterval(() => this.maintain(), RECONNECT_MS));
    this.timers.push(setInterval(() => this.pingAll(), PING_MS));
    this.maintain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    for (const p of this.conns.values()) p.close('shutdown');
    if (this.server) await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  get connectionCount(): number {
    let n = 0;
    for (const p of this.conns.values()) if (p.handshakeDone) n++;
    return n;
  }

  get longestChain(): number {
    let best = 0;
    for (const p of this.conns.values()) if (p.handshakeDone) best = Math.max(best, p.bestHeight);
    return best;
  }

  private live(): Peer[] {
    return [...this.conns.values()].filter((p) => p.handshakeDone);
  }

  peers(): PeerInfo[] {
    return this.live().map((p) => p.info());
  }

  addNode(addr: string, command: 'add' | 'remove' | 'onetry'): void {
    const key = normaliseAddr(addr, this.opts.port);
    if (command === 'onetry') {
      this.dial(key);
      return;
    }
    if (command === 'add') {
      if (this.added.has(key))
        throw new RpcError(RpcCode.CLIENT_NODE_ALREADY_ADDED, 'Error: Node already added');
      this.added.add(key);
      this.dial(key);
      return;
    }
    if (!this.added.delete(key))
      throw new RpcError(RpcCode.CLIENT_NODE_NOT_ADDED, 'Error: Node has not been added.');
    for (const p of this.conns.values()) if (!p.inbound && p.addr === key) p.close('addnode remove');
  }

  announceBlock(hash: string, except?: Peer): void {
    const payload = encodeInv([{ type: INV_BLOCK, hash }]);
    for (const p of this.live()) if (p !== except) p.send('inv', payload);
  }

  announceTx(txid: string, except?: Peer): void {
    const payload = encodeInv([{ type: INV_TX, hash: txid }]);
    for (const p of this.live()) if (p !== except) p.send('inv', payload);
  }

  private maintain(): void {
    if (this.stopped) return;
    for (const addr of this.added) {
      const live = [...this.conns.values()].some((p) => !p.inbound && p.addr === addr);
      if (!live && !this.connecting.has(addr)) this.dial(addr);
    }
  }

  private dial(addr: string): void {
    if (this.stopped || this.conns.size >= this.opts.maxConnections) return;
    // OpenNetworkConnection: FindNode(pszDest) first, so `onetry`/`add` to a node already connected
    // (or being dialled) reuses that connection instead of opening a second one.
    if (this.connecting.has(addr) || [...this.conns.values()].some((p) => !p.inbound && p.addr === addr))
      return;
    const [host, port] = splitAddr(addr);
    this.connecting.add(addr);
    const socket = connect({ host, port });
    const fail = () => {
      this.connecting.delete(addr);
      socket.destroy();
    };
    socket.setTimeout(5_000, fail);
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.off('error', fail);
      this.connecting.delete(addr);
      this.adopt(socket, false, addr);
    });
  }

  private adopt(socket: Socket, inbound: boolean, addr?: string): void {
    if (this.stopped || this.conns.size >= this.opts.maxConnections) {
      socket.destroy();
      return;
    }
    const remote = addr ?? `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    const peer = new Peer(
      this.nextId++,
      socket,
      remote,
      inbound,
      this.magic,
      (p, f) => this.onFrame(p, f),
      (p, reason) => {
        this.conns.delete(p.id);
        this.opts.logger.debug({ peer: p.addr, reason }, 'peer disconnected');
      },
    );
    this.conns.set(peer.id, peer);
    if (!inbound) this.sendVersion(peer);
  }

  private sendVersion(peer: Peer): void {
    peer.send(
      'version',
      encodeVersion({
        version: this.opts.protocolVersion,
        services: 1n,
        time: Math.floor(Date.now() / 1000),
        nonce: this.nonce,
        userAgent: this.opts.userAgent,
        startHeight: this.host.chain.height,
      }),
    );
  }

  private onFrame(peer: Peer, frame: Frame): void {
    try {
      this.handle(peer, frame);
    } catch (err) {
      this.opts.logger.debug({ peer: peer.addr, command: frame.command, err }, 'bad p2p message');
      peer.close(`bad ${frame.command} message`);
    }
  }

  private handle(peer: Peer, { command, payload }: Frame): void {
    if (!peer.gotVersion && command !== 'version') {
      peer.close('message before version');
      return;
    }
    switch (command) {
      case 'version': {
        if (peer.gotVersion) return;
        const v = decodeVersion(payload);
        if (v.nonce === this.nonce) {
          peer.close('connected to self');
          return;
        }
        peer.gotVersion = true;
        peer.version = v.version;
        peer.subver = v.userAgent;
        peer.startingHeight = v.startHeight;
        peer.bestHeight = Math.max(peer.bestHeight, v.startHeight);
        if (peer.inbound) this.sendVersion(peer);
        peer.send('verack');
        return;
      }
      case 'verack': {
        peer.gotVerack = true;
        peer.handshakeDone = true;
        this.opts.logger.info(
          { peer: peer.addr, inbound: peer.inbound, height: peer.startingHeight },
          'peer connected',
        );
        if (peer.bestHeight > this.host.chain.height) this.requestBlocks(peer);
        return;
      }
      case 'ping':
        peer.send('pong', payload);
        return;
      case 'pong':
        if (peer.pingNonce !== undefined && decodeNonce(payload) === peer.pingNonce) {
          peer.pingTime = (Date.now() - peer.pingSent) / 1000;
          peer.pingNonce = undefined;
        }
        return;
      case 'inv':
        this.onInv(peer, decodeInv(payload));
        return;
      case 'getdata':
        this.onGetData(peer, decodeInv(payload));
        return;
      case 'getblocks':
        this.onGetBlocks(peer, decodeGetBlocks(payload));
        return;
      case 'block':
        this.onBlock(peer, deserializeBlock(payload, this.host.chain.rules.format));
        return;
      case 'tx':
        this.host.acceptTx(decodeTx(payload, this.host.chain.rules.format), peer);
        return;
      default:
        // Unknown commands are ignored, as komodod does, so newer peers stay compatible.
        return;
    }
  }

  private onInv(peer: Peer, items: InvItem[]): void {
    const wanted: InvItem[] = [];
    for (const item of items) {
      if (item.type === INV_BLOCK) {
        if (!this.host.chain.byHash(item.hash) && !peer.requested.has(item.hash)) {
          peer.requested.add(item.hash);
          wanted.push(item);
        }
      } else if (item.type === INV_TX) {
        if (!this.host.mempool.has(item.hash) && !this.host.chain.locateTx(item.hash)) wanted.push(item);
      }
    }
    if (wanted.length > 0) peer.send('getdata', encodeInv(wanted));
  }

  private onGetData(peer: Peer, items: InvItem[]): void {
    const format = this.host.chain.rules.format;
    const missing: InvItem[] = [];
    for (const item of items) {
      if (item.type === INV_BLOCK) {
        const entry = this.host.chain.byHash(item.hash);
        if (entry) peer.send('block', serializeBlock(entry.block, format));
        else missing.push(item);
      } else if (item.type === INV_TX) {
        const pooled = this.host.mempool.get(item.hash);
        if (pooled) peer.send('tx', pooled.t.bytes);
        else missing.push(item);
      }
    }
    if (missing.length > 0) peer.send('notfound', encodeInv(missing));
  }

  private onGetBlocks(peer: Peer, locator: string[]): void {
    const chain = this.host.chain;
    let fork = chain.genesis;
    for (const hash of locator) {
      const entry = chain.byHash(hash);
      if (entry && chain.isActive(entry)) {
        fork = entry;
        break;
      }
    }
    const items: InvItem[] = [];
    for (let h = fork.height + 1; h <= chain.height && items.length < MAX_INV_BLOCKS; h++) {
      const entry = chain.atHeight(h);
      if (entry) items.push({ type: INV_BLOCK, hash: entry.hash });
    }
    if (items.length > 0) peer.send('inv', encodeInv(items));
  }

  private onBlock(peer: Peer, block: Block): void {
    const result = this.host.acceptBlock(block, peer);
    if (result.status === 'active' || result.status === 'side' || result.status === 'duplicate') {
      peer.bestHeight = Math.max(peer.bestHeight, result.entry.height);
    }
    for (const hash of [...peer.requested]) if (this.host.chain.byHash(hash)) peer.requested.delete(hash);
    if (result.status === 'orphan') {
      peer.requested.clear();
      this.requestBlocks(peer);
      return;
    }
    if (result.status === 'invalid') {
      this.opts.logger.warn({ peer: peer.addr, reason: result.reason }, 'peer sent an invalid block');
      peer.close(`invalid block: ${result.reason}`);
      return;
    }
    if (peer.requested.size === 0 && peer.bestHeight > this.host.chain.height) this.requestBlocks(peer);
  }

  private requestBlocks(peer: Peer): void {
    peer.send('getblocks', encodeGetBlocks(this.opts.protocolVersion, this.locator()));
  }

  /** Block locator: the last ten blocks, then exponentially sparser back to genesis. */
  private locator(): string[] {
    const chain = this.host.chain;
    const hashes: string[] = [];
    let step = 1;
    for (let h = chain.height; h > 0; h -= step) {
      hashes.push((chain.atHeight(h) as { hash: string }).hash);
      if (hashes.length >= 10) step *= 2;
    }
    hashes.push(chain.genesis.hash);
    return hashes;
  }

  private pingAll(): void {
    for (const p of this.live()) {
      const nonce = randomBytes(8).readBigUInt64LE();
      p.pingNonce = nonce;
      p.pingSent = Date.now();
      p.send('ping', encodeNonce(nonce));
    }
  }
}

function splitAddr(addr: string): [string, number] {
  const m = /^\[(.+)\]:(\d+)$/.exec(addr) ?? /^([^:]+):(\d+)$/.exec(addr);
  if (!m) throw new Error(`bad address ${addr}`);
  return [m[1] as string, Number(m[2])];
}

/** `host`, `host:port` or `[v6]:port` → `host:port` with the chain's p2p port as default. */
export function normaliseAddr(addr: string, defaultPort: number): string {
  const trimmed = addr.trim();
  if (/^\[.+\]:\d+$/.test(trimmed) || /^[^:]+:\d+$/.test(trimmed)) return trimmed;
  if (trimmed.includes(':')) return `[${trimmed.replace(/^\[|\]$/g, '')}]:${defaultPort}`;
  return `${trimmed}:${defaultPort}`;
}

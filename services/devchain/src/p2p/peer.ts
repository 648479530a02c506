import type { Socket } from 'node:net';
import type { PeerInfo } from '../node/context.js';
import { encodeFrame, type Frame, FrameDecoder, WireError } from './wire.js';

/** One connection to another devchain of the same chain. */
export class Peer {
  readonly connTime = Math.floor(Date.now() / 1000);
  lastSend = 0;
  lastRecv = 0;
  bytesSent = 0;
  bytesRecv = 0;
  version = 0;
  subver = '';
  startingHeight = 0;
  /** Highest height this peer has shown us (its version's start height or blocks it sent). */
  bestHeight = 0;
  handshakeDone = false;
  gotVersion = false;
  gotVerack = false;
  pingNonce: bigint | undefined;
  pingSent = 0;
  pingTime: number | undefined;
  /** Blocks asked of this peer and not yet received. */
  readonly requested = new Set<string>();
  private readonly decoder: FrameDecoder;
  private closed = false;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    readonly addr: string,
    readonly inbound: boolean,
    private readonly magic: Uint8Array,
    onFrame: (peer: Peer, frame: Frame) => void,
    onClose: (peer: Peer, reason: string) => void,
  ) {
    this.decoder = new FrameDecoder(magic);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.bytesRecv += chunk.length;
      this.lastRecv = Math.floor(Date.now() / 1000);
      let frames: Frame[];
      try {
        frames = this.decoder.push(new Uint8Array(chunk));
      } catch (err) {
        this.close(err instanceof WireError ? err.message : 'undecodable data');
        return;
      }
      for (const frame of frames) {
        if (this.closed) return;
        onFrame(this, frame);
      }
    });
    socket.on('error', () => this.close('socket error'));
    socket.on('close', () => {
      if (!this.closed) {
        this.closed = true;
        onClose(this, 'closed by peer');
      }
    });
    this.onCloseHook = onClose;
  }

  private readonly onCloseHook: (peer: Peer, reason: string) => void;

  get isClosed(): boolean {
    return this.closed;
  }

  send(command: string, payload: Uint8Array = new Uint8Array(0)): void {
    if (this.closed) return;
    const frame = encodeFrame(this.magic, command, payload);
    this.bytesSent += frame.length;
    this.lastSend = Math.floor(Date.now() / 1000);
    this.socket.write(frame);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.onCloseHook(this, reason);
  }

  info(): PeerInfo {
    return {
      id: this.id,
      addr: this.addr,
      inbound: this.inbound,
      version: this.version,
      subver: this.subver,
      startingHeight: this.startingHeight,
      syncedHeight: this.bestHeight,
      connTime: this.connTime,
      lastSend: this.lastSend,
      lastRecv: this.lastRecv,
      bytesSent: this.bytesSent,
      bytesRecv: this.bytesRecv,
      pingTime: this.pingTime,
    };
  }
}

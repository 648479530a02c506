import { BufferReader, BufferWriter, bytesEqual, Hash, sha256d } from '@nn/chain-crypto';

/** Bitcoin's message frame, used by komodod and litecoind alike: magic, command, length, checksum. */
export const HEADER_SIZE = 24;
export const MAX_PAYLOAD = 0x0200_0000;

export interface Frame {
  readonly command: string;
  readonly payload: Uint8Array;
}

export class WireError extends Error {}

/** The magic as the four bytes that open every message (komodod's pchMessageStart). */
export function magicPrefix(magic: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, magic, true);
  return b;
}

export function encodeFrame(magic: Uint8Array, command: string, payload: Uint8Array): Uint8Array {
  const encoded = new TextEncoder().encode(command);
  if (encoded.length > 12) throw new WireError(`command too long: ${command}`);
  const w = new BufferWriter(HEADER_SIZE + payload.length);
  w.writeBytes(magic);
  const cmd = new Uint8Array(12);
  cmd.set(encoded);
  w.writeBytes(cmd);
  w.writeU32LE(payload.length);
  w.writeBytes(sha256d(payload).subarray(0, 4));
  w.writeBytes(payload);
  return w.toBytes();
}

/**
 * Splits a byte stream into frames. Throws WireError on a foreign magic (a peer of another chain),
 * an oversized payload or a bad checksum: the peer is then dropped, as komodod does.
 */
export class FrameDecoder {
  private buffer = new Uint8Array(0);

  constructor(private readonly magic: Uint8Array) {}

  push(chunk: Uint8Array): Frame[] {
    const merged = new Uint8Array(this.buffer.length + chunk.length);
    merged.set(this.buffer);
    merged.set(chunk, this.buffer.length);
    this.buffer = merged;
    const frames: Frame[] = [];
    while (this.buffer.length >= HEADER_SIZE) {
      if (!bytesEqual(this.buffer.subarray(0, 4), this.magic))
        throw new WireError('message from another network (magic mismatch)');
      const view = new DataView(this.buffer.buffer, this.buffer.byteOffset, HEADER_SIZE);
      const length = view.getUint32(16, true);
      if (length > MAX_PAYLOAD) throw new WireError(`oversized message (${length} bytes)`);
      if (this.buffer.length < HEADER_SIZE + length) break;
      const cmdBytes = this.buffer.subarray(4, 16);
      const end = cmdBytes.indexOf(0);
      // CMessageHeader::IsCommandValid: printable ASCII, then only NUL padding.
      const valid = cmdBytes.every((b, i) => (end === -1 || i < end ? b >= 0x20 && b <= 0x7e : b === 0));
      if (!valid) throw new WireError('invalid message command');
      const command = new TextDecoder().decode(cmdBytes.subarray(0, end === -1 ? 12 : end));
      const payload = this.buffer.slice(HEADER_SIZE, HEADER_SIZE + length);
      if (!bytesEqual(sha256d(payload).subarray(0, 4), this.buffer.subarray(20, 24)))
        throw new WireError(`bad checksum on ${command}`);
      frames.push({ command, payload });
      this.buffer = this.buffer.slice(HEADER_SIZE + length);
    }
    return frames;
  }
}

export interface VersionMessage {
  readonly version: number;
  readonly services: bigint;
  readonly time: number;
  readonly nonce: bigint;
  readonly userAgent: string;
  readonly startHeight: number;
}

const EMPTY_NETADDR = new Uint8Array(26);

export function encodeVersion(v: VersionMessage): Uint8Array {
  const w = new BufferWriter(128);
  w.writeI32LE(v.version);
  w.writeU64LE(v.services);
  w.writeI64LE(BigInt(v.time));
  w.writeBytes(EMPTY_NETADDR);
  w.writeBytes(EMPTY_NETADDR);
  w.writeU64LE(v.nonce);
  w.writeVarBytes(new TextEncoder().encode(v.userAgent));
  w.writeI32LE(v.startHeight);
  w.writeU8(1);
  return w.toBytes();
}

export function decodeVersion(payload: Uint8Array): VersionMessage {
  const r = new BufferReader(payload);
  const version = r.readI32LE();
  const services = r.readU64LE();
  const time = Number(r.readI64LE());
  r.readBytes(26);
  r.readBytes(26);
  const nonce = r.readU64LE();
  const userAgent = new TextDecoder().decode(r.readVarBytes(256));
  const startHeight = r.readI32LE();
  return { version, services, time, nonce, userAgent, startHeight };
}

export const INV_TX = 1;
export const INV_BLOCK = 2;

export interface InvItem {
  readonly type: number;
  /** Display hex. */
  readonly hash: string;
}

export function encodeInv(items: readonly InvItem[]): Uint8Array {
  const w = new BufferWriter(1 + items.length * 36);
  w.writeCompactSize(items.length);
  for (const item of items) {
    w.writeU32LE(item.type);
    w.writeBytes(Hash.fromDisplayHex(item.hash));
  }
  return w.toBytes();
}

export function decodeInv(payload: Uint8Array): InvItem[] {
  const r = new BufferReader(payload);
  const n = r.readCompactSize(50_000);
  const items: InvItem[] = [];
  for (let i = 0; i < n; i++) items.push({ type: r.readU32LE(), hash: Hash.toDisplayHex(r.readBytes(32)) });
  return items;
}

/** getblocks: a locator (newest first) and a stop hash (zero = as many as allowed). */
export function encodeGetBlocks(version: number, locator: readonly string[]): Uint8Array {
  const w = new BufferWriter(40 + locator.length * 32);
  w.writeU32LE(version);
  w.writeCompactSize(locator.length);
  for (const h of locator) w.writeBytes(Hash.fromDisplayHex(h));
  w.writeBytes(new Uint8Array(32));
  return w.toBytes();
}

export function decodeGetBlocks(payload: Uint8Array): string[] {
  const r = new BufferReader(payload);
  r.readU32LE();
  const n = r.readCompactSize(2000);
  const locator: string[] = [];
  for (let i = 0; i < n; i++) locator.push(Hash.toDisplayHex(r.readBytes(32)));
  return locator;
}

export function encodeNonce(nonce: bigint): Uint8Array {
  return new BufferWriter(8).writeU64LE(nonce).toBytes();
}

export function decodeNonce(payload: Uint8Array): bigint {
  return new BufferReader(payload).readU64LE();
}

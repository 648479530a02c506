// Little-endian byte writer/reader and Bitcoin CompactSize ("varint") used by every wire format here
// (transactions, and devchain's blocks and p2p messages).

/** Raised when bytes cannot be read as the expected structure (truncation, bad varint, ...). */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

/** Bitcoin's MAX_SIZE: the largest CompactSize a node accepts when it reads a length or count. */
export const MAX_COMPACT_SIZE = 0x02000000;

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Byte length of the CompactSize encoding of n. */
export function compactSizeLength(n: number | bigint): number {
  const v = BigInt(n);
  if (v < 0xfdn) return 1;
  if (v <= 0xffffn) return 3;
  if (v <= 0xffffffffn) return 5;
  return 9;
}

export class BufferWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    const needed = this.len + extra;
    if (needed <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private checkInt(value: number, min: number, max: number, what: string): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`${what} out of range: ${value}`);
    }
  }

  writeU8(value: number): this {
    this.checkInt(value, 0, 0xff, 'u8');
    this.ensure(1);
    this.buf[this.len++] = value;
    return this;
  }

  writeU16LE(value: number): this {
    this.checkInt(value, 0, 0xffff, 'u16');
    this.ensure(2);
    this.view.setUint16(this.len, value, true);
    this.len += 2;
    return this;
  }

  writeU16BE(value: number): this {
    this.checkInt(value, 0, 0xffff, 'u16');
    this.ensure(2);
    this.view.setUint16(this.len, value, false);
    this.len += 2;
    return this;
  }

  writeU32LE(value: number): this {
    this.checkInt(value, 0, 0xffffffff, 'u32');
    this.ensure(4);
    this.view.setUint32(this.len, value, true);
    this.len += 4;
    return this;
  }

  writeI32LE(value: number): this {
    this.checkInt(value, -0x80000000, 0x7fffffff, 'i32');
    this.ensure(4);
    this.view.setInt32(this.len, value, true);
    this.len += 4;
    return this;
  }

  writeU64LE(value: bigint): this {
    if (value < 0n || value > 0xffffffffffffffffn) throw new RangeError(`u64 out of range: ${value}`);
    this.ensure(8);
    this.view.setBigUint64(this.len, value, true);
    this.len += 8;
    return this;
  }

  writeI64LE(value: bigint): this {
    if (value < -(2n ** 63n) || value >= 2n ** 63n) throw new RangeError(`i64 out of range: ${value}`);
    this.ensure(8);
    this.view.setBigInt64(this.len, value, true);
    this.len += 8;
    return this;
  }

  writeBytes(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  /** Bitcoin CompactSize: 1, 3, 5 or 9 bytes, always the shortest form. */
  writeCompactSize(n: number | bigint): this {
    const v = BigInt(n);
    if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`CompactSize out of range: ${n}`);
    if (v < 0xfdn) return this.writeU8(Number(v));
    if (v <= 0xffffn) return this.writeU8(0xfd).writeU16LE(Number(v));
    if (v <= 0xffffffffn) return this.writeU8(0xfe).writeU32LE(Number(v));
    return this.writeU8(0xff).writeU64LE(v);
  }

  /** CompactSize length prefix followed by the bytes (scripts, pushes, strings). */
  writeVarBytes(bytes: Uint8Array): this {
    return this.writeCompactSize(bytes.length).writeBytes(bytes);
  }

  /** Node-Buffer-style aliases. */
  writeUInt32LE(value: number): this {
    return this.writeU32LE(value);
  }

  writeInt32LE(value: number): this {
    return this.writeI32LE(value);
  }

  /** A copy of everything written so far. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export class BufferReader {
  private readonly view: DataView;
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get offset(): number {
    return this.pos;
  }

  /** Alias of offset. */
  get position(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  skip(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new DecodeError(`invalid skip ${n}`);
    this.need(n, `skip of ${n} bytes`);
    this.pos += n;
  }

  private need(n: number, what: string): void {
    if (this.remaining < n) {
      throw new DecodeError(
        `truncated: need ${n} bytes for ${what} at offset ${this.pos}, have ${this.remaining}`,
      );
    }
  }

  readU8(): number {
    this.need(1, 'u8');
    return this.buf[this.pos++] as number;
  }

  /** Looks at the next byte without consuming it; undefined at the end. */
  peekU8(offset = 0): number | undefined {
    return this.buf[this.pos + offset];
  }

  readU16LE(): number {
    this.need(2, 'u16');
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  readU16BE(): number {
    this.need(2, 'u16');
    const v = this.view.getUint16(this.pos, false);
    this.pos += 2;
    return v;
  }

  readU32LE(): number {
    this.need(4, 'u32');
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readI32LE(): number {
    this.need(4, 'i32');
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Node-Buffer-style aliases. */
  readUInt32LE(): number {
    return this.readU32LE();
  }

  readInt32LE(): number {
    return this.readI32LE();
  }

  readU64LE(): bigint {
    this.need(8, 'u64');
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  readI64LE(): bigint {
    this.need(8, 'i64');
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A copy of the next n bytes. */
  readBytes(n: number): Uint8Array {
    if (!Number.isInteger(n) || n < 0) throw new DecodeError(`invalid byte count ${n}`);
    this.need(n, `${n} bytes`);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /**
   * Reads a CompactSize and rejects non-shortest encodings (as Bitcoin Core does) and values above max.
   */
  readCompactSize(max = MAX_COMPACT_SIZE): number {
    const first = this.readU8();
    let value: bigint;
    let minimum: bigint;
    if (first < 0xfd) return checkMax(first, max);
    if (first === 0xfd) {
      value = BigInt(this.readU16LE());
      minimum = 0xfdn;
    } else if (first === 0xfe) {
      value = BigInt(this.readU32LE());
      minimum = 0x10000n;
    } else {
      value = this.readU64LE();
      minimum = 0x100000000n;
    }
    if (value < minimum) throw new DecodeError(`non-canonical CompactSize ${value}`);
    if (value > BigInt(max)) throw new DecodeError(`CompactSize ${value} exceeds limit ${max}`);
    return Number(value);
  }

  /**
   * Reads an element count and rejects counts that cannot fit in the remaining bytes, given the
   * smallest possible encoded size of one element: this stops absurd counts before any allocation.
   */
  readCount(minElementSize: number, what = 'elements'): number {
    const count = this.readCompactSize();
    if (minElementSize > 0 && count * minElementSize > this.remaining) {
      throw new DecodeError(`absurd count: ${count} ${what} cannot fit in ${this.remaining} remaining bytes`);
    }
    return count;
  }

  readVarBytes(max = MAX_COMPACT_SIZE): Uint8Array {
    const n = this.readCompactSize(max);
    return this.readBytes(n);
  }

  /** Throws unless every byte has been consumed. */
  assertEnd(what = 'data'): void {
    if (this.remaining !== 0) {
      throw new DecodeError(`${this.remaining} trailing bytes after ${what}`);
    }
  }
}

function checkMax(value: number, max: number): number {
  if (value > max) throw new DecodeError(`CompactSize ${value} exceeds limit ${max}`);
  return value;
}

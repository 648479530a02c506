import { describe, expect, it } from 'vitest';
import {
  BufferReader,
  BufferWriter,
  bytesEqual,
  compactSizeLength,
  concatBytes,
  DecodeError,
} from './bytes.js';
import { fromHex, toHex } from './hex.js';

describe('BufferWriter / BufferReader', () => {
  it('writes little-endian integers and reads them back', () => {
    const w = new BufferWriter(1);
    w.writeU8(0xab).writeU16LE(0x1234).writeU32LE(0xdeadbeef).writeI32LE(-2).writeU64LE(0x0102030405060708n);
    w.writeI64LE(-1n).writeU16BE(0x1234);
    expect(toHex(w.toBytes())).toBe('ab3412efbeaddefeffffff0807060504030201ffffffffffffffff1234');
    const r = new BufferReader(w.toBytes());
    expect(r.readU8()).toBe(0xab);
    expect(r.readU16LE()).toBe(0x1234);
    expect(r.readU32LE()).toBe(0xdeadbeef);
    expect(r.readI32LE()).toBe(-2);
    expect(r.readU64LE()).toBe(0x0102030405060708n);
    expect(r.readI64LE()).toBe(-1n);
    expect(r.readU16BE()).toBe(0x1234);
    expect(r.remaining).toBe(0);
    r.assertEnd();
  });

  it('rejects out-of-range values instead of wrapping', () => {
    const w = new BufferWriter();
    expect(() => w.writeU8(256)).toThrow(RangeError);
    expect(() => w.writeU32LE(-1)).toThrow(RangeError);
    expect(() => w.writeU64LE(-1n)).toThrow(RangeError);
    expect(() => w.writeI32LE(0x80000000)).toThrow(RangeError);
  });

  it.each([
    [0, '00'],
    [0xfc, 'fc'],
    [0xfd, 'fdfd00'],
    [0xffff, 'fdffff'],
    [0x10000, 'fe00000100'],
    [0xffffffff, 'feffffffff'],
    [0x100000000n, 'ff0000000001000000'],
  ])('CompactSize %s encodes as %s', (n, hex) => {
    const w = new BufferWriter();
    w.writeCompactSize(n);
    expect(toHex(w.toBytes())).toBe(hex);
    expect(compactSizeLength(n)).toBe(hex.length / 2);
  });

  it('reads CompactSize back and rejects non-canonical or oversized forms', () => {
    expect(new BufferReader(fromHex('fdfd00')).readCompactSize()).toBe(0xfd);
    expect(() => new BufferReader(fromHex('fd1000')).readCompactSize()).toThrow(/non-canonical/);
    expect(() => new BufferReader(fromHex('fe00000000')).readCompactSize()).toThrow(/non-canonical/);
    expect(() => new BufferReader(fromHex('fe00000003')).readCompactSize()).toThrow(/exceeds/);
    expect(() => new BufferReader(fromHex('0a')).readCompactSize(9)).toThrow(/exceeds/);
  });

  it('throws DecodeError on truncation and trailing bytes', () => {
    expect(() => new BufferReader(fromHex('0102')).readU32LE()).toThrow(DecodeError);
    expect(() => new BufferReader(fromHex('05aabb')).readVarBytes()).toThrow(/truncated/);
    const r = new BufferReader(fromHex('0001'));
    r.readU8();
    expect(() => r.assertEnd()).toThrow(/1 trailing/);
  });

  it('rejects counts that cannot fit in the remaining bytes', () => {
    // 0xfe 0x00000001 = 16M elements of at least 41 bytes each, with 3 bytes left.
    expect(() => new BufferReader(fromHex('fe00000001aabbcc')).readCount(41)).toThrow(/absurd/);
    expect(new BufferReader(fromHex('02aabb')).readCount(1)).toBe(2);
  });

  it('offers Node-style aliases used by devchain', () => {
    const w = new BufferWriter();
    w.writeUInt32LE(7).writeInt32LE(-7);
    const r = new BufferReader(w.toBytes());
    expect(r.readUInt32LE()).toBe(7);
    expect(r.position).toBe(4);
    r.skip(2);
    expect(r.offset).toBe(6);
    expect(() => r.skip(3)).toThrow(DecodeError);
  });

  it('concatenates and compares bytes', () => {
    expect(toHex(concatBytes(fromHex('01'), fromHex(''), fromHex('0203')))).toBe('010203');
    expect(bytesEqual(fromHex('0102'), fromHex('0102'))).toBe(true);
    expect(bytesEqual(fromHex('0102'), fromHex('0103'))).toBe(false);
    expect(bytesEqual(fromHex('01'), fromHex('0100'))).toBe(false);
  });
});

import { sha256d } from '@nn/chain-crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeGetBlocks,
  decodeInv,
  decodeNonce,
  decodeVersion,
  encodeFrame,
  encodeGetBlocks,
  encodeInv,
  encodeNonce,
  encodeVersion,
  FrameDecoder,
  HEADER_SIZE,
  INV_BLOCK,
  INV_TX,
  MAX_PAYLOAD,
  magicPrefix,
  WireError,
} from './wire.js';

const KMD_MAGIC = 0x8de4eef9;
const magic = magicPrefix(KMD_MAGIC);

describe('frames', () => {
  it('puts the magic on the wire as komodod does (f9 ee e4 8d)', () => {
    expect([...magic]).toEqual([0xf9, 0xee, 0xe4, 0x8d]);
  });

  it('round-trips a frame: header layout, checksum, payload', () => {
    const payload = new Uint8Array([1, 2, 3, 4, 5]);
    const bytes = encodeFrame(magic, 'ping', payload);
    expect(bytes.length).toBe(HEADER_SIZE + 5);
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe('ping');
    expect([...bytes.subarray(8, 16)]).toEqual(new Array(8).fill(0));
    expect(new DataView(bytes.buffer).getUint32(16, true)).toBe(5);
    expect([...bytes.subarray(20, 24)]).toEqual([...sha256d(payload).subarray(0, 4)]);
    expect(new FrameDecoder(magic).push(bytes)).toEqual([{ command: 'ping', payload }]);
  });

  it('reassembles frames split across chunks, and several frames in one chunk', () => {
    const a = encodeFrame(magic, 'verack', new Uint8Array(0));
    const b = encodeFrame(magic, 'inv', new Uint8Array(300).fill(7));
    const stream = new Uint8Array([...a, ...b, ...a]);
    const decoder = new FrameDecoder(magic);
    const frames = [];
    for (let i = 0; i < stream.length; i += 7) frames.push(...decoder.push(stream.subarray(i, i + 7)));
    expect(frames.map((f) => f.command)).toEqual(['verack', 'inv', 'verack']);
    expect(frames[1]?.payload).toEqual(new Uint8Array(300).fill(7));
    expect(new FrameDecoder(magic).push(stream).map((f) => f.command)).toEqual(['verack', 'inv', 'verack']);
  });

  it('waits for the rest of a header or payload instead of failing', () => {
    const bytes = encodeFrame(magic, 'ping', new Uint8Array(8));
    const decoder = new FrameDecoder(magic);
    expect(decoder.push(bytes.subarray(0, 10))).toEqual([]);
    expect(decoder.push(bytes.subarray(10, 30))).toEqual([]);
    expect(decoder.push(bytes.subarray(30))).toHaveLength(1);
  });

  it('refuses a foreign magic (a peer of another chain)', () => {
    const ltc = encodeFrame(magicPrefix(0xdbb6c0fb), 'version', new Uint8Array(0));
    expect(() => new FrameDecoder(magic).push(ltc)).toThrow(WireError);
  });

  it('refuses a bad checksum', () => {
    const bytes = encodeFrame(magic, 'ping', new Uint8Array([9, 9]));
    bytes[HEADER_SIZE] = 8;
    expect(() => new FrameDecoder(magic).push(bytes)).toThrow(/bad checksum/);
  });

  it('refuses an oversized length as soon as the header arrives', () => {
    const header = encodeFrame(magic, 'block', new Uint8Array(0));
    new DataView(header.buffer).setUint32(16, MAX_PAYLOAD + 1, true);
    expect(() => new FrameDecoder(magic).push(header)).toThrow(/oversized/);
  });

  it('refuses a command with garbage after its NUL padding, and too long commands', () => {
    const bytes = encodeFrame(magic, 'ping', new Uint8Array(0));
    bytes[10] = 0x41;
    expect(() => new FrameDecoder(magic).push(bytes)).toThrow(WireError);
    expect(() => encodeFrame(magic, 'thirteenchars', new Uint8Array(0))).toThrow(WireError);
    expect(() => encodeFrame(magic, 'ééééééé', new Uint8Array(0))).toThrow(WireError);
  });
});

describe('messages', () => {
  it('round-trips version', () => {
    const v = {
      version: 170_010,
      services: 1n,
      time: 1_700_000_000,
      nonce: 0x1122334455667788n,
      userAgent: '/devchain:0.1/',
      startHeight: 42,
    };
    expect(decodeVersion(encodeVersion(v))).toEqual(v);
  });

  it('round-trips inv, getblocks and ping nonces', () => {
    const items = [
      { type: INV_TX, hash: 'aa'.repeat(32) },
      { type: INV_BLOCK, hash: `01${'00'.repeat(31)}` },
    ];
    expect(decodeInv(encodeInv(items))).toEqual(items);
    const locator = ['11'.repeat(32), '22'.repeat(32)];
    expect(decodeGetBlocks(encodeGetBlocks(170_010, locator))).toEqual(locator);
    expect(decodeNonce(encodeNonce(0xffff_ffff_ffff_ffffn))).toBe(0xffff_ffff_ffff_ffffn);
  });
});

import { BufferReader, BufferWriter, Hash, merkleRoot, sha256d, type TxFormat } from '@nn/chain-crypto';
import { readTx, type Tx } from './tx.js';

/**
 * devchain's block. The header has komodod's shape (version, previous hash, merkle root, final
 * Sapling root, time, bits, 32-byte nonce, Equihash solution) or Bitcoin's (4-byte nonce), but no
 * proof of work: devchain is a stand-in that makes blocks on a timer, so the solution is empty and
 * `bits` is the easiest target. Only devchains exchange these blocks.
 */
export interface BlockHeader {
  readonly version: number;
  /** Display hex, as RPC shows it. */
  readonly prevHash: string;
  readonly merkleRoot: string;
  readonly time: number;
  readonly bits: number;
  readonly nonce: number;
}

export interface Block {
  readonly header: BlockHeader;
  readonly txs: readonly Tx[];
}

export const EASIEST_BITS = 0x200f0f0f;

export function headerBytes(h: BlockHeader, format: TxFormat): Uint8Array {
  const w = new BufferWriter(180);
  w.writeI32LE(h.version);
  w.writeBytes(Hash.fromDisplayHex(h.prevHash));
  w.writeBytes(Hash.fromDisplayHex(h.merkleRoot));
  if (format === 'komodo-sapling') w.writeBytes(new Uint8Array(32)); // hashFinalSaplingRoot
  w.writeU32LE(h.time);
  w.writeU32LE(h.bits);
  if (format === 'komodo-sapling') {
    const nonce = new Uint8Array(32);
    new DataView(nonce.buffer).setUint32(0, h.nonce, true);
    w.writeBytes(nonce);
    w.writeVarBytes(new Uint8Array(0)); // nSolution
  } else {
    w.writeU32LE(h.nonce);
  }
  return w.toBytes();
}

export function blockHash(h: BlockHeader, format: TxFormat): string {
  return Hash.toDisplayHex(sha256d(headerBytes(h, format)));
}

export function computeMerkleRoot(txs: readonly Tx[]): string {
  return Hash.toDisplayHex(merkleRoot(txs.map((t) => Hash.fromDisplayHex(t.txid))));
}

export function serializeBlock(block: Block, format: TxFormat): Uint8Array {
  const w = new BufferWriter(1024);
  w.writeBytes(headerBytes(block.header, format));
  w.writeCompactSize(block.txs.length);
  for (const t of block.txs) w.writeBytes(t.bytes);
  return w.toBytes();
}

export function deserializeBlock(bytes: Uint8Array, format: TxFormat): Block {
  const r = new BufferReader(bytes);
  const version = r.readI32LE();
  const prevHash = Hash.toDisplayHex(r.readBytes(32));
  const merkle = Hash.toDisplayHex(r.readBytes(32));
  if (format === 'komodo-sapling') r.readBytes(32);
  const time = r.readU32LE();
  const bits = r.readU32LE();
  let nonce: number;
  if (format === 'komodo-sapling') {
    const n = r.readBytes(32);
    nonce = new DataView(n.buffer, n.byteOffset, 32).getUint32(0, true);
    r.readVarBytes();
  } else {
    nonce = r.readU32LE();
  }
  const count = r.readCompactSize();
  const txs: Tx[] = [];
  for (let i = 0; i < count; i++) txs.push(readTx(r, format));
  if (r.remaining !== 0) throw new Error('trailing bytes after block');
  return { header: { version, prevHash, merkleRoot: merkle, time, bits, nonce }, txs };
}

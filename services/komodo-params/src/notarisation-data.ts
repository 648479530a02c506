// The OP_RETURN payload of a dPoW notarisation (dPoW iguana/dpow/dpow_tx.c dpow_rwopret, read by komodod's
// komodo_voutupdate in src/komodo.cpp). Hashes travel in internal byte order (reversed against RPC hex),
// integers little-endian, the symbol NUL-terminated.
//   dest tx (on KMD or LTC):   srchash(32) | height(i32) | SYMBOL\0 | [MoM(32) | MoMdepth(u32)]
//   back tx (on the source):   srchash(32) | height(i32) | desttxid(32) | SYMBOL\0 | [MoM(32) | MoMdepth(u32)]

export interface NotarisationData {
  /** Notarised block of the source chain, RPC (display) hex. */
  readonly srcHash: string;
  readonly height: number;
  /** Txid of the notarisation on the destination chain: present in the back tx only. */
  readonly destTxid?: string | undefined;
  readonly symbol: string;
  readonly mom?: string | undefined;
  /** Low 16 bits: depth; high 16 bits: CCid (as the payload stores it). */
  readonly momDepth?: number | undefined;
}

export class NotarisationDataError extends Error {}

function hexToReversed(hex: string, what: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new NotarisationDataError(`${what} must be 64 hex characters`);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[31 - i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function reversedToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = bytes.length - 1; i >= 0; i--) s += (bytes[i] as number).toString(16).padStart(2, '0');
  return s;
}

export function encodeNotarisationData(d: NotarisationData): Uint8Array {
  if (!/^[A-Za-z0-9_]{1,64}$/.test(d.symbol)) throw new NotarisationDataError(`bad symbol ${d.symbol}`);
  if (!Number.isInteger(d.height) || d.height < 0 || d.height > 0x7fffffff)
    throw new NotarisationDataError('bad height');
  const symbol = new TextEncoder().encode(d.symbol);
  const parts: Uint8Array[] = [hexToReversed(d.srcHash, 'srcHash')];
  const h = new Uint8Array(4);
  new DataView(h.buffer).setInt32(0, d.height, true);
  parts.push(h);
  if (d.destTxid !== undefined) parts.push(hexToReversed(d.destTxid, 'destTxid'));
  parts.push(symbol, new Uint8Array([0]));
  if (d.mom !== undefined) {
    parts.push(hexToReversed(d.mom, 'mom'));
    const dep = new Uint8Array(4);
    new DataView(dep.buffer).setUint32(0, d.momDepth ?? 0, true);
    parts.push(dep);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function readSymbolAt(data: Uint8Array, offset: number): { symbol: string; end: number } | undefined {
  const nul = data.indexOf(0, offset);
  if (nul < 0 || nul === offset || nul - offset > 64) return undefined;
  const symbol = new TextDecoder().decode(data.subarray(offset, nul));
  return /^[A-Za-z0-9_]+$/.test(symbol) ? { symbol, end: nul + 1 } : undefined;
}

/**
 * Reads a payload as komodod does for a chain named `ownSymbol`: the back-tx form (with desttxid)
 * when the symbol at offset 68 is the chain's own ("matched"), else the dest-tx form with the symbol
 * at offset 36. Returns undefined for anything else.
 */
export function decodeNotarisationData(data: Uint8Array, ownSymbol: string): NotarisationData | undefined {
  if (data.length < 38) return undefined;
  const srcHash = reversedToHex(data.subarray(0, 32));
  const height = new DataView(data.buffer, data.byteOffset + 32, 4).getInt32(0, true);
  const matched = data.length >= 70 ? readSymbolAt(data, 68) : undefined;
  const form =
    matched && matched.symbol === ownSymbol
      ? { ...matched, destTxid: reversedToHex(data.subarray(36, 68)) }
      : undefined;
  const plain = form ?? readSymbolAt(data, 36);
  if (!plain) return undefined;
  const rest = data.subarray(plain.end);
  const mom = rest.length >= 36 ? reversedToHex(rest.subarray(0, 32)) : undefined;
  const momDepth =
    rest.length >= 36 ? new DataView(rest.buffer, rest.byteOffset + 32, 4).getUint32(0, true) : undefined;
  return { srcHash, height, destTxid: form?.destTxid, symbol: plain.symbol, mom, momDepth };
}

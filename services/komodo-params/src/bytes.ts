// Little-endian writers matching komodo's iguana_rwnum(1, ...) on x86: the extra-parameter buffer and the
// magic seed are built from these.

export function le(value: bigint, width: 1 | 4 | 8): Uint8Array {
  const out = new Uint8Array(width);
  // Two's-complement wrap, like storing a C integer into a narrower unsigned field.
  let v = BigInt.asUintN(width * 8, value);
  for (let i = 0; i < width; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function isHex(text: string): boolean {
  return /^[0-9a-fA-F]*$/.test(text);
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !isHex(hex)) throw new Error(`not an even-length hex string: ${hex}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function asciiBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

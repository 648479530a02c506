// Hex helpers. Bitcoin-family nodes display txids and block hashes byte-reversed (uint256::GetHex),
// so the "display" helpers reverse; the plain ones do not.

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (!HEX_RE.test(hex)) throw new TypeError(`invalid hex string (length ${hex.length})`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function isHex(value: string, byteLength?: number): boolean {
  return HEX_RE.test(value) && (byteLength === undefined || value.length === byteLength * 2);
}

/** A reversed copy (the input is left untouched). */
export function reverseBytes(bytes: Uint8Array): Uint8Array {
  return bytes.slice().reverse();
}

/** Internal-order hash (as hashed and serialised) → display hex (as RPC and explorers show it). */
export function hashToDisplayHex(hash: Uint8Array): string {
  return toHex(reverseBytes(hash));
}

/** Display hex (RPC/explorer order) → internal-order bytes; must be exactly 32 bytes. */
export function displayHexToHash(hex: string): Uint8Array {
  if (!isHex(hex, 32)) throw new TypeError(`expected a 64-character hex hash, got "${hex}"`);
  return reverseBytes(fromHex(hex));
}

// CRC-32 (IEEE 802.3, reflected, poly 0xedb88320) with a caller-supplied starting value, the way komodo's
// calc_crc32(crc, buf, size) works [komodo:src/komodo_utils.cpp]. Node's zlib.crc32 is not used so the
// package stays free of Node-only APIs.

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** crc32 of `bytes`, continuing from `crc` (0 for a fresh checksum). Returns an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (const byte of bytes) c = ((TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8)) >>> 0;
  return (c ^ 0xffffffff) >>> 0;
}

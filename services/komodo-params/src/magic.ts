import { sha256 } from '@noble/hashes/sha2.js';
import { asciiBytes, bytesToHex, concatBytes, hexToBytes, le } from './bytes.js';
import { type AssetchainParams, isKmd } from './chain-params.js';
import { crc32 } from './crc32.js';
import { KMD_MAGIC, TIMELOCK_OFF } from './komodo-limits.js';
import { resolveAssetchain } from './resolve.js';

// Magic number of an assetchain, as komodod computes it [komodo src/komodo_utils.cpp]:
//   komodo_args()        builds the extra-parameter buffer (extraptr/extralen) from the -ac_* values;
//   komodo_assetmagic()  crc32(seed, le64(supply) || symbol), seed = first LE uint32 of sha256(buffer).

/**
 * The extra-parameter buffer komodo_args() hashes into the magic, or undefined when komodod builds none
 * (then the seed is 0 and the port uses the 8000 + magic % 7777 formula).
 */
export function extraParamsBuffer(params: AssetchainParams): Uint8Array | undefined {
  if (isKmd(params)) return undefined;
  const r = resolveAssetchain(params);
  if (!r.hasExtraParams) return undefined;

  const parts: Uint8Array[] = [r.pubkey33];
  for (let i = 0; i <= r.lastEra; i++) {
    parts.push(
      le(r.end[i] ?? 0n, 8),
      le(r.reward[i] ?? 0n, 8),
      le(r.halving[i] ?? 0n, 8),
      le(r.decay[i] ?? 0n, 8),
    );
    // notarypay is only serialised when era 0 has one, but then for every era.
    if (r.notarypay[0] !== 0n) parts.push(le(r.notarypay[i] ?? 0n, 8));
  }
  if (r.lastEra > 0) parts.push(le(BigInt(r.lastEra), 8));
  if (r.timelockgte !== TIMELOCK_OFF)
    parts.push(le(r.timelockgte, 8), le(r.timeunlockfrom, 8), le(r.timeunlockto, 8));
  if (r.algo !== 0) parts.push(le(BigInt(r.algo), 4));

  const packed =
    r.commission |
    ((BigInt(r.staked) & 0xffn) << 32n) |
    ((BigInt(r.cc) & 0xffffn) << 40n) |
    (r.public !== 0 ? 1n << 7n : 0n) |
    (r.private !== 0 ? 1n << 6n : 0n) |
    BigInt(r.txpow);
  parts.push(le(packed, 8));

  if (r.founders !== 0) {
    parts.push(Uint8Array.of(1));
    if (r.founders > 1) parts.push(le(BigInt(r.founders), 4));
    if (r.foundersReward !== 0n) parts.push(le(r.foundersReward, 8));
  }
  if (r.script.length > 1) parts.push(hexToBytes(r.script.slice(0, r.script.length - (r.script.length % 2))));
  if (r.selfImport.length > 0) parts.push(asciiBytes(r.selfImport));
  if (r.beam !== 0) parts.push(asciiBytes('b'));
  if (r.coda !== 0) parts.push(asciiBytes('c'));
  if (r.ccEnabledCount > 0) parts.push(r.ccDisableBits);
  if (r.cclib.length > 1) parts.push(asciiBytes(r.cclib));
  if (r.blocktime !== 60) parts.push(le(BigInt(r.blocktime), 4));
  if (r.mineropret.length !== 0) parts.push(r.mineropret);
  if (r.nk[0] !== 0n && r.nk[1] !== 0n) parts.push(le(r.nk[0], 8), le(r.nk[1], 8));
  if (r.snapshot !== 0) parts.push(le(BigInt(r.snapshot), 4));
  if (r.earlytxidcontract !== 0) parts.push(le(BigInt(r.earlytxidcontract), 4));
  if (r.cbmaturity !== 0) parts.push(le(BigInt(r.cbmaturity), 4));
  if (r.adaptivepow !== 0) parts.push(Uint8Array.of(r.adaptivepow));
  return concatBytes(parts);
}

/** The chain's network magic (uint32), exactly as komodo_assetmagic(); KMD's is 0x8de4eef9. */
export function assetMagic(params: AssetchainParams): number {
  if (isKmd(params)) return KMD_MAGIC;
  const r = resolveAssetchain(params);
  const extra = extraParamsBuffer(params);
  let seed = 0;
  if (extra && extra.length > 0) {
    const digest = sha256(extra);
    // bits256.uints[0] on a little-endian host.
    seed =
      ((digest[0] ?? 0) | ((digest[1] ?? 0) << 8) | ((digest[2] ?? 0) << 16) | ((digest[3] ?? 0) << 24)) >>>
      0;
  }
  return crc32(concatBytes([le(r.supply, 8), asciiBytes(r.symbol)]), seed);
}

/** The 4 message-start bytes (pchMessageStart): the magic in little-endian order. */
export function magicBytes(magic: number): Uint8Array {
  return le(BigInt(magic >>> 0), 4);
}

/** `netmagic` as written in dPoW iguana/coins files and komodod's NAME_7776: LE bytes as hex. */
export function netmagicHex(magic: number): string {
  return bytesToHex(magicBytes(magic));
}

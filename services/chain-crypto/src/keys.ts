// secp256k1 private/public keys and WIF (wallet import format), as komodod/litecoind import and dump them.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { createBase58check } from '@scure/base';
import { sha256 } from './hashes.js';

export class InvalidKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidKeyError';
  }
}

export interface KeyPair {
  privateKey: Uint8Array;
  /** SEC1-encoded public key: 33 bytes compressed or 65 bytes uncompressed. */
  publicKey: Uint8Array;
  compressed: boolean;
}

export interface DecodedWif {
  privateKey: Uint8Array;
  compressed: boolean;
  version: number;
}

const base58check = createBase58check(sha256);

function assertPrivateKey(priv: Uint8Array): void {
  if (!(priv instanceof Uint8Array) || priv.length !== 32) {
    throw new InvalidKeyError(
      `private key must be 32 bytes, got ${priv instanceof Uint8Array ? priv.length : typeof priv}`,
    );
  }
  if (!secp256k1.utils.isValidSecretKey(priv)) {
    throw new InvalidKeyError('private key is zero or not below the curve order');
  }
}

export function isValidPrivateKey(priv: Uint8Array): boolean {
  return priv instanceof Uint8Array && priv.length === 32 && secp256k1.utils.isValidSecretKey(priv);
}

/** True for a 33-byte compressed or 65-byte uncompressed point that lies on the curve. */
export function isValidPublicKey(pub: Uint8Array): boolean {
  if (!(pub instanceof Uint8Array) || (pub.length !== 33 && pub.length !== 65)) return false;
  return secp256k1.utils.isValidPublicKey(pub, pub.length === 33);
}

/**
 * A new random private key. `random(n)` may be supplied (tests, deterministic devnets); draws that
 * fall outside [1, n-1] are retried.
 */
export function generatePrivateKey(random: (length: number) => Uint8Array = randomBytes): Uint8Array {
  for (let attempt = 0; attempt < 128; attempt++) {
    const candidate = random(32);
    if (!(candidate instanceof Uint8Array) || candidate.length !== 32) {
      throw new InvalidKeyError('random source must return 32 bytes');
    }
    if (secp256k1.utils.isValidSecretKey(candidate)) return Uint8Array.from(candidate);
  }
  throw new InvalidKeyError('random source produced no valid private key in 128 draws');
}

export function publicKeyOf(priv: Uint8Array, compressed = true): Uint8Array {
  assertPrivateKey(priv);
  return secp256k1.getPublicKey(priv, compressed);
}

export function keyPairFromPrivateKey(priv: Uint8Array, compressed = true): KeyPair {
  return { privateKey: Uint8Array.from(priv), publicKey: publicKeyOf(priv, compressed), compressed };
}

/** Compressed ↔ uncompressed form of the same public key. */
export function convertPublicKey(pub: Uint8Array, compressed: boolean): Uint8Array {
  if (!isValidPublicKey(pub)) throw new InvalidKeyError('not a valid secp256k1 public key');
  return secp256k1.Point.fromBytes(pub).toBytes(compressed);
}

function assertVersion(version: number): void {
  if (!Number.isInteger(version) || version < 0 || version > 0xff) {
    throw new InvalidKeyError(`WIF version must be a byte, got ${version}`);
  }
}

/** WIF: base58check(version || key || 0x01 when the matching public key is compressed). */
export function encodeWif(priv: Uint8Array, version: number, compressed = true): string {
  assertPrivateKey(priv);
  assertVersion(version);
  const payload = new Uint8Array(compressed ? 34 : 33);
  payload[0] = version;
  payload.set(priv, 1);
  if (compressed) payload[33] = 0x01;
  return base58check.encode(payload);
}

/** Decodes a WIF; when expectedVersion is given, a different version byte is an error. */
export function decodeWif(wif: string, expectedVersion?: number): DecodedWif {
  if (typeof wif !== 'string' || wif.length === 0)
    throw new InvalidKeyError('WIF must be a non-empty string');
  let payload: Uint8Array;
  try {
    payload = base58check.decode(wif);
  } catch (err) {
    throw new InvalidKeyError(`WIF is not valid base58check: ${(err as Error).message}`);
  }
  let compressed: boolean;
  if (payload.length === 33) compressed = false;
  else if (payload.length === 34 && payload[33] === 0x01) compressed = true;
  else
    throw new InvalidKeyError(
      `WIF payload has an unexpected length or compression flag (${payload.length} bytes)`,
    );
  const version = payload[0] as number;
  if (expectedVersion !== undefined) {
    assertVersion(expectedVersion);
    if (version !== expectedVersion) {
      throw new InvalidKeyError(`WIF version byte ${version} does not match the expected ${expectedVersion}`);
    }
  }
  const privateKey = payload.slice(1, 33);
  assertPrivateKey(privateKey);
  return { privateKey, compressed, version };
}

export function keyPairFromWif(wif: string, expectedVersion?: number): KeyPair {
  const { privateKey, compressed } = decodeWif(wif, expectedVersion);
  return keyPairFromPrivateKey(privateKey, compressed);
}

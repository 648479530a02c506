// Base58check P2PKH/P2SH addresses with per-chain version bytes.
import { createBase58check } from '@scure/base';
import { hash160, sha256 } from './hashes.js';
import { isValidPublicKey } from './keys.js';

export class InvalidAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAddressError';
  }
}

export interface NetworkPrefixes {
  pubkeyHash: number;
  scriptHash: number;
  wif: number;
}

/** KMD and every assetchain (komodo chainparams: PUBKEY_ADDRESS 60, SCRIPT_ADDRESS 85, SECRET_KEY 188). */
export const KMD_PREFIXES: Readonly<NetworkPrefixes> = Object.freeze({
  pubkeyHash: 60,
  scriptHash: 85,
  wif: 188,
});
/** Litecoin mainnet (L…, M… addresses; WIF 176). */
export const LTC_PREFIXES: Readonly<NetworkPrefixes> = Object.freeze({
  pubkeyHash: 48,
  scriptHash: 50,
  wif: 176,
});
/** Bitcoin mainnet. */
export const BTC_PREFIXES: Readonly<NetworkPrefixes> = Object.freeze({
  pubkeyHash: 0,
  scriptHash: 5,
  wif: 128,
});

export type AddressType = 'p2pkh' | 'p2sh';

export interface DecodedAddress {
  type: AddressType;
  /** The 20-byte hash160 the address commits to. */
  hash: Uint8Array;
}

const base58check = createBase58check(sha256);

function assertHash(hash: Uint8Array): void {
  if (!(hash instanceof Uint8Array) || hash.length !== 20) {
    throw new InvalidAddressError('an address hash must be 20 bytes');
  }
}

export function encodeAddress(decoded: DecodedAddress, prefixes: NetworkPrefixes): string {
  assertHash(decoded.hash);
  const version = decoded.type === 'p2pkh' ? prefixes.pubkeyHash : prefixes.scriptHash;
  const payload = new Uint8Array(21);
  payload[0] = version;
  payload.set(decoded.hash, 1);
  return base58check.encode(payload);
}

export function p2pkhAddressFromHash(hash: Uint8Array, prefixes: NetworkPrefixes): string {
  return encodeAddress({ type: 'p2pkh', hash }, prefixes);
}

export function p2pkhAddress(pubkey: Uint8Array, prefixes: NetworkPrefixes): string {
  if (!isValidPublicKey(pubkey)) throw new InvalidAddressError('not a valid secp256k1 public key');
  return p2pkhAddressFromHash(hash160(pubkey), prefixes);
}

export function p2shAddressFromHash(hash: Uint8Array, prefixes: NetworkPrefixes): string {
  return encodeAddress({ type: 'p2sh', hash }, prefixes);
}

export function p2shAddress(redeemScript: Uint8Array, prefixes: NetworkPrefixes): string {
  return p2shAddressFromHash(hash160(redeemScript), prefixes);
}

export function decodeAddress(address: string, prefixes: NetworkPrefixes): DecodedAddress {
  if (typeof address !== 'string' || address.length === 0) {
    throw new InvalidAddressError('address must be a non-empty string');
  }
  let payload: Uint8Array;
  try {
    payload = base58check.decode(address);
  } catch (err) {
    // @scure/base reports both bad characters and bad checksums here.
    throw new InvalidAddressError(`invalid base58check address "${address}": ${(err as Error).message}`);
  }
  if (payload.length !== 21) {
    throw new InvalidAddressError(`address payload must be 21 bytes, got ${payload.length}`);
  }
  const version = payload[0];
  const hash = payload.slice(1);
  if (version === prefixes.pubkeyHash) return { type: 'p2pkh', hash };
  if (version === prefixes.scriptHash) return { type: 'p2sh', hash };
  throw new InvalidAddressError(
    `address version byte ${version} is neither ${prefixes.pubkeyHash} (p2pkh) nor ${prefixes.scriptHash} (p2sh)`,
  );
}

export function isValidAddress(address: string, prefixes: NetworkPrefixes): boolean {
  try {
    decodeAddress(address, prefixes);
    return true;
  } catch {
    return false;
  }
}

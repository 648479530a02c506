import { sha256 } from '@noble/hashes/sha2.js';
import { decodeWif, type KeyPair, keyPairFromPrivateKey } from './keys.js';

/**
 * The notary key Iguana derives from its wallet passphrase (dPoW SuperNET_keys.c SuperNET_setkeys with
 * crypto777 iguana_utils.c conv_NXTpassword): a passphrase that is a valid WIF is that key; any other
 * passphrase gives sha256(passphrase) with bits clamped (priv[0] &= 248, priv[31] &= 127,
 * priv[31] |= 64), used directly as the secp256k1 private key. The pubkey is its compressed form.
 */
export function iguanaPassphraseKey(passphrase: string): KeyPair {
  try {
    const wif = decodeWif(passphrase);
    return keyPairFromPrivateKey(wif.privateKey, true);
  } catch {
    // Not a WIF: the usual case.
  }
  const priv = sha256(new TextEncoder().encode(passphrase));
  priv[0] = (priv[0] as number) & 248;
  priv[31] = ((priv[31] as number) & 127) | 64;
  return keyPairFromPrivateKey(priv, true);
}

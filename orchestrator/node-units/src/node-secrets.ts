import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWif, iguanaPassphraseKey, KMD_PREFIXES, p2pkhAddress, toHex } from '@nn/chain-crypto';
import { secretOnce } from '@nn/shared';

// The node's own secrets, each a 0600 file under <secretsDir>/node/, generated on first use and read
// back after: re-running `up` (or a second process) finds the same keys and tokens, so units deployed
// earlier keep matching. Values never leave these files except into unit volumes.

const token = () => randomBytes(24).toString('hex');

export interface TokenPair {
  readonly viewer: string;
  readonly operator: string;
  readonly viewerFile: string;
  readonly operatorFile: string;
}

export interface NodeSecrets {
  readonly dir: string;
  /** The Iguana passphrase: the notary key is derived from it (as Iguana's walletpassphrase does). */
  readonly passphrase: string;
  readonly passphraseFile: string;
  /** Compressed pubkey (hex) and KMD address of the notary key. */
  readonly pubkey: string;
  readonly address: string;
  /** The notary key as a KMD WIF (compressed), for importprivkey on the assetchains. */
  readonly wifFile: string;
  readonly wif: string;
  readonly ltc: TokenPair & { readonly rpcpassword: string };
  readonly kmd: TokenPair & { readonly rpcpassword: string };
  readonly iguana: TokenPair;
}

/**
 * Loads the node's secrets from `<secretsDir>/node`, generating what is missing. A devnet passphrase is
 * random; a profile with a real key (testnet, mainnet) writes its passphrase file before calling this.
 */
export function loadNodeSecrets(secretsDir: string): NodeSecrets {
  const dir = join(secretsDir, 'node');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const once = (name: string, make: () => string) => {
    const path = join(dir, name);
    return { path, value: secretOnce(path, make) };
  };
  const pair = (unit: string): TokenPair => {
    const viewer = once(`${unit}.viewer.token`, token);
    const operator = once(`${unit}.operator.token`, token);
    return {
      viewer: viewer.value,
      operator: operator.value,
      viewerFile: viewer.path,
      operatorFile: operator.path,
    };
  };
  const passphrase = once('passphrase', () => `devnet ${randomBytes(24).toString('hex')}`);
  const key = iguanaPassphraseKey(passphrase.value);
  const wif = once('notary.wif', () => encodeWif(key.privateKey, KMD_PREFIXES.wif, true));
  return {
    dir,
    passphrase: passphrase.value,
    passphraseFile: passphrase.path,
    pubkey: toHex(key.publicKey),
    address: p2pkhAddress(key.publicKey, KMD_PREFIXES),
    wif: wif.value,
    wifFile: wif.path,
    ltc: { ...pair('ltc'), rpcpassword: once('ltc.rpcpassword', token).value },
    kmd: { ...pair('kmd'), rpcpassword: once('kmd.rpcpassword', token).value },
    iguana: pair('iguana'),
  };
}

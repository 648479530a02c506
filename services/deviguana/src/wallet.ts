import { hash160, iguanaPassphraseKey, type KeyPair, toHex } from '@nn/chain-crypto';
import { x25519 } from '@noble/curves/ed25519.js';

/**
 * The unlocked notary key (walletpassphrase): held in memory only, never logged, never written. Its
 * toJSON hides the key so an accidental log or reply of the object shows nothing secret.
 */
export class WalletKey {
  private constructor(
    readonly key: KeyPair,
    private unlockedUntilMs: number,
  ) {}

  static fromPassphrase(passphrase: string, timeoutSeconds: number, now = Date.now()): WalletKey {
    return new WalletKey(iguanaPassphraseKey(passphrase), now + timeoutSeconds * 1000);
  }

  get pubkeyHex(): string {
    return toHex(this.key.publicKey);
  }

  get rmd160Hex(): string {
    return toHex(hash160(this.key.publicKey));
  }

  /** The NXT-style curve25519 public key of the same 32 bytes (Iguana's `pubkey`/`persistent`). */
  get curvePubkeyHex(): string {
    return toHex(x25519.getPublicKey(this.key.privateKey));
  }

  isUnlocked(now = Date.now()): boolean {
    return now < this.unlockedUntilMs;
  }

  secondsLeft(now = Date.now()): number {
    return Math.max(0, Math.floor((this.unlockedUntilMs - now) / 1000));
  }

  toJSON(): Record<string, string> {
    return { pubkey: this.pubkeyHex };
  }
}

import { describe, expect, it } from 'vitest';
import { KMD_PREFIXES, p2pkhAddress } from './addresses.js';
import { toHex } from './hex.js';
import { iguanaPassphraseKey } from './iguana-key.js';

describe('iguanaPassphraseKey', () => {
  it('matches the published passphrase vector (KomodoPlatform developer-docs, generate-privkeys-...-from-passphrase)', () => {
    const key = iguanaPassphraseKey('myverysecretandstrongpassphrase_noneabletobrute');
    expect(toHex(key.privateKey)).toBe('907ece717a8f94e07de7bf6f8b3e9f91abb8858ebf831072cdbb9016ef53bc5d');
    expect(toHex(key.publicKey)).toBe('02a854251adfee222bede8396fed0756985d4ea905f72611740867c7a4ad6488c1');
    expect(p2pkhAddress(key.publicKey, KMD_PREFIXES)).toBe('RVNKRr2uxPMxJeDwFnTKjdtiLtcs7UzCZn');
  });
});

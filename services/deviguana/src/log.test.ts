import { describe, expect, it } from 'vitest';
import { captureLog } from './testkit.js';
import { WalletKey } from './wallet.js';

describe('secrets stay out of the log', () => {
  it('a WalletKey logged by mistake shows its pubkey only; redacted fields are censored', () => {
    const { log, text } = captureLog();
    const w = WalletKey.fromPassphrase('myverysecretandstrongpassphrase_noneabletobrute', 10);
    log.info({ wallet: w, passphrase: 'hunter2-secret', wif: 'UtrRXq-secret' }, 'oops');
    const out = text();
    expect(out).toContain('02a854251adfee222bede8396fed0756985d4ea905f72611740867c7a4ad6488c1');
    expect(out).not.toContain('907ece717a8f94e07de7bf6f8b3e9f91abb8858ebf831072cdbb9016ef53bc5d');
    expect(out).not.toContain('hunter2-secret');
    expect(out).not.toContain('UtrRXq-secret');
    expect(out).toContain('[redacted]');
  });
});

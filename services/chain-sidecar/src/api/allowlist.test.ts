import { describe, expect, it } from 'vitest';
import { decide, NEVER_METHODS, OPERATOR_METHODS, VIEWER_METHODS } from './allowlist.js';

describe('decide', () => {
  it('lets a viewer read and names the role a spending method needs', () => {
    for (const m of [
      'getinfo',
      'getblockchaininfo',
      'getblockcount',
      'listunspent',
      'getbalance',
      'getnetworkinfo',
    ]) {
      expect(decide('viewer', m), m).toEqual({ allowed: true });
    }
    const send = decide('viewer', 'sendtoaddress');
    expect(send.allowed).toBe(false);
    expect(!send.allowed && send.reason).toBe(
      "method 'sendtoaddress' needs the operator role (this token is a viewer)",
    );
    for (const m of ['sendmany', 'importprivkey', 'lockunspent', 'stop', 'setgenerate', 'generate']) {
      expect(decide('viewer', m).allowed, m).toBe(false);
    }
  });

  it('lets the operator read, spend, import keys and stop', () => {
    for (const m of [
      'getinfo',
      'sendtoaddress',
      'sendmany',
      'importprivkey',
      'lockunspent',
      'stop',
      'setpubkey',
    ]) {
      expect(decide('operator', m), m).toEqual({ allowed: true });
    }
  });

  it('lets the operator, not a viewer, make, load and rescan a litecoind 0.21 wallet', () => {
    for (const m of ['createwallet', 'loadwallet', 'listwallets', 'rescanblockchain']) {
      expect(decide('operator', m), m).toEqual({ allowed: true });
      expect(decide('viewer', m), m).toEqual({
        allowed: false,
        reason: `method '${m}' needs the operator role (this token is a viewer)`,
      });
    }
    // Taking the wallet away stays off the list: the notary's wallet is never unloaded from outside.
    expect(decide('operator', 'unloadwallet').allowed).toBe(false);
  });

  it('never lets a key-exporting method through, whatever the role', () => {
    for (const role of ['viewer', 'operator'] as const) {
      for (const m of ['dumpprivkey', 'dumpwallet', 'z_exportkey', 'z_exportwallet', 'backupwallet']) {
        const d = decide(role, m);
        expect(d.allowed, `${role} ${m}`).toBe(false);
        expect(!d.allowed && d.reason).toBe(`method '${m}' is never allowed through the sidecar`);
      }
    }
  });

  it('refuses an unknown method, naming it, for both roles', () => {
    for (const role of ['viewer', 'operator'] as const) {
      const d = decide(role, 'walletpassphrase');
      expect(!d.allowed && d.reason).toBe("method 'walletpassphrase' is not on the sidecar's allowlist");
    }
    // komodod looks methods up case-sensitively; so does the allowlist.
    expect(decide('operator', 'DumpPrivKey').allowed).toBe(false);
    expect(decide('viewer', 'GetInfo').allowed).toBe(false);
  });

  it('keeps the lists consistent: viewer ⊂ operator, never disjoint from both', () => {
    for (const m of VIEWER_METHODS) expect(OPERATOR_METHODS.has(m), m).toBe(true);
    for (const m of NEVER_METHODS) {
      expect(OPERATOR_METHODS.has(m), m).toBe(false);
      expect(VIEWER_METHODS.has(m), m).toBe(false);
    }
    // Nothing on the viewer list moves coins or keys.
    for (const m of [
      'sendtoaddress',
      'sendmany',
      'importprivkey',
      'sendrawtransaction',
      'stop',
      'lockunspent',
    ]) {
      expect(VIEWER_METHODS.has(m), m).toBe(false);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { BTC_CONSTANTS, KMD_CONSTANTS, LTC_CONSTANTS } from './chain-constants.js';
import { assetMagic, netmagicHex } from './magic.js';
import { p2pPort, rpcPort } from './ports.js';

describe('chain constants', () => {
  it('KMD matches the derivation for a chain without -ac_name', () => {
    expect(assetMagic({ name: 'KMD' })).toBe(KMD_CONSTANTS.magic);
    expect(p2pPort({ name: '' })).toBe(KMD_CONSTANTS.p2pPort);
    expect(rpcPort({ name: '' })).toBe(KMD_CONSTANTS.rpcPort);
  });

  it('message-start bytes are the wire order of the magics', () => {
    expect(netmagicHex(KMD_CONSTANTS.magic)).toBe('f9eee48d');
    expect(netmagicHex(LTC_CONSTANTS.magic)).toBe('fbc0b6db');
    expect(netmagicHex(BTC_CONSTANTS.magic)).toBe('f9beb4d9');
  });
});

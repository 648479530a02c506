import { describe, expect, it } from 'vitest';
import { decodeNotarisationData, encodeNotarisationData } from './notarisation-data.js';

const hash = `${'ab'.repeat(31)}cd`;
const txid = '12'.repeat(32);
const mom = '0f'.repeat(32);

describe('notarisation OP_RETURN payload', () => {
  it('lays out the KMD→LTC dest payload in 40 bytes and the back payload in 72 (dPoW iguana.md §4.3)', () => {
    const dest = encodeNotarisationData({ srcHash: hash, height: 4125988, symbol: 'KMD' });
    expect(dest.length).toBe(40);
    // Internal byte order: the display hex's last byte comes first.
    expect(dest[0]).toBe(0xcd);
    expect([...dest.subarray(32, 36)]).toEqual([0x24, 0xf5, 0x3e, 0x00]);
    expect(new TextDecoder().decode(dest.subarray(36))).toBe('KMD\0');
    const back = encodeNotarisationData({ srcHash: hash, height: 4125988, destTxid: txid, symbol: 'KMD' });
    expect(back.length).toBe(72);
  });

  it('reads the back form only for the chain’s own symbol, as komodod’s "matched" does', () => {
    const back = encodeNotarisationData({
      srcHash: hash,
      height: 77,
      destTxid: txid,
      symbol: 'CCL',
      mom,
      momDepth: 5 | (2 << 16),
    });
    expect(decodeNotarisationData(back, 'CCL')).toEqual({
      srcHash: hash,
      height: 77,
      destTxid: txid,
      symbol: 'CCL',
      mom,
      momDepth: 5 | (2 << 16),
    });
    const onKmd = encodeNotarisationData({ srcHash: hash, height: 77, symbol: 'CCL', mom, momDepth: 5 });
    const read = decodeNotarisationData(onKmd, 'KMD');
    expect(read?.destTxid).toBeUndefined();
    expect(read?.symbol).toBe('CCL');
    expect(read?.mom).toBe(mom);
  });

  it('refuses payloads that are not notarisations', () => {
    expect(decodeNotarisationData(new Uint8Array(20), 'KMD')).toBeUndefined();
    expect(decodeNotarisationData(new Uint8Array(40), 'KMD')).toBeUndefined();
    expect(() => encodeNotarisationData({ srcHash: 'zz', height: 1, symbol: 'KMD' })).toThrow(/srcHash/);
  });
});

import { describe, expect, it } from 'vitest';
import { bytesToHex } from './bytes.js';
import { crc32 } from './crc32.js';
import { PUBLISHED_CHAINS } from './dpow-coins.fixtures.js';
import { assetMagic, extraParamsBuffer, magicBytes, netmagicHex } from './magic.js';
import { effectivePorts, p2pPort, rpcPort } from './ports.js';
import { coinbaseMaturity, resolveAssetchain } from './resolve.js';

describe('assetMagic / p2pPort / rpcPort against published dPoW coin files', () => {
  it('covers enough chains of each kind', () => {
    const plain = PUBLISHED_CHAINS.filter((c) => !c.extraParams && c.netmagic && c.params.name !== 'KMD');
    const extra = PUBLISHED_CHAINS.filter((c) => c.extraParams && c.netmagic);
    expect(plain.length).toBeGreaterThanOrEqual(3);
    expect(extra.length).toBeGreaterThanOrEqual(3);
  });

  for (const c of PUBLISHED_CHAINS) {
    it(`${c.label}: ${c.source}`, () => {
      const magic = assetMagic(c.params);
      if (c.netmagic) expect(netmagicHex(magic)).toBe(c.netmagic);
      expect(p2pPort(c.params)).toBe(c.p2p);
      expect(rpcPort(c.params)).toBe(c.rpc);
      if (c.params.name !== 'KMD') expect(extraParamsBuffer(c.params) !== undefined).toBe(c.extraParams);
      if (c.staleNetmagic) {
        // The file's netmagic cannot be this chain's: read as a magic it would give another port.
        const stale = Number.parseInt(c.staleNetmagic.match(/../g)?.reverse().join('') ?? '', 16);
        expect(8000 + (stale % 7777)).not.toBe(c.p2p);
      }
    });
  }

  it('BCZERO magic as a number matches the komodo-chainparams output quoted in the dPoW FAQ', () => {
    // deckersu/komodo-chainparams output quoted in dPoW docs: "magic": 163429333, "magic_hex": "09bdbbd5"
    const bczero = PUBLISHED_CHAINS.find((c) => c.params.name === 'BCZERO');
    expect(bczero && assetMagic(bczero.params)).toBe(163429333);
  });
});

describe('magic building blocks', () => {
  it('crc32 matches the standard check value and zlib', async () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const zlib = await import('node:zlib');
    const data = new TextEncoder().encode('KOIN and some more bytes');
    expect(crc32(data)).toBe(zlib.crc32(data));
    expect(crc32(data.subarray(4), crc32(data.subarray(0, 4)))).toBe(zlib.crc32(data));
  });

  it('netmagicHex is the little-endian byte order of the magic', () => {
    expect(netmagicHex(0x8de4eef9)).toBe('f9eee48d');
    expect(bytesToHex(magicBytes(0x01020304))).toBe('04030201');
  });

  it('a plain chain has no extra buffer and its magic is crc32(le64(supply) || name)', async () => {
    const zlib = await import('node:zlib');
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64LE(125000000n);
    const expected = zlib.crc32(Buffer.concat([buf, Buffer.from('KOIN')]));
    expect(assetMagic({ name: 'KOIN', supply: 125000000 })).toBe(expected);
    expect(extraParamsBuffer({ name: 'KOIN', supply: 125000000 })).toBeUndefined();
  });

  it('defaults ac_supply to 10 like komodod', () => {
    expect(assetMagic({ name: 'X' })).toBe(assetMagic({ name: 'X', supply: 10 }));
    expect(assetMagic({ name: 'X' })).not.toBe(assetMagic({ name: 'X', supply: 11 }));
  });

  it('serialises CCL as pubkey33 | end,reward,halving,decay | packed word', () => {
    const buf = extraParamsBuffer({ name: 'CCL', supply: 200000000, end: [1n], cc: 2 });
    const packed = Buffer.alloc(8);
    packed.writeBigUInt64LE(2n << 40n); // ac_cc=2 in bits 40..55
    const era = Buffer.alloc(32);
    era.writeBigUInt64LE(1n, 0); // end
    expect(buf && bytesToHex(buf)).toBe(`${'00'.repeat(33)}${era.toString('hex')}${packed.toString('hex')}`);
  });

  it('ac_cc and ac_staked alone do not create extra parameters, ac_public does', () => {
    expect(extraParamsBuffer({ name: 'A', cc: 2, staked: 50 })).toBeUndefined();
    expect(extraParamsBuffer({ name: 'A', public: 1 })).toBeDefined();
    expect(extraParamsBuffer({ name: 'A', blocktime: 60 })).toBeUndefined();
    expect(extraParamsBuffer({ name: 'A', blocktime: 30 })).toBeDefined();
    expect(extraParamsBuffer({ name: 'A', eras: 2 })).toBeDefined();
  });

  it('notarypay adds one word per era only when era 0 has one', () => {
    const base = extraParamsBuffer({ name: 'A', reward: [1n] });
    const withPay = extraParamsBuffer({ name: 'A', reward: [1n], notarypay: [5n] });
    expect(base && withPay && withPay.length - base.length).toBe(8);
    const twoEras = extraParamsBuffer({ name: 'A', eras: 2, reward: [1n], notarypay: [5n] });
    // 33 + 2 eras * 5 words + lastEra word + packed word
    expect(twoEras?.length).toBe(33 + 2 * 40 + 8 + 8);
  });

  it('ac_cbmaturity, ac_snapshot and ac_blocktime are 4-byte fields; ac_adaptivepow one byte', () => {
    const base = extraParamsBuffer({ name: 'A', public: 1 })?.length ?? 0;
    expect(extraParamsBuffer({ name: 'A', public: 1, cbmaturity: 5 })?.length).toBe(base + 4);
    expect(extraParamsBuffer({ name: 'A', public: 1, snapshot: 5 })?.length).toBe(base + 4);
    expect(extraParamsBuffer({ name: 'A', public: 1, blocktime: 5 })?.length).toBe(base + 4);
    expect(extraParamsBuffer({ name: 'A', public: 1, adaptivepow: 5 })?.length).toBe(base + 1);
  });
});

describe('resolveAssetchain mirrors komodo_args', () => {
  it('fills era lists with their last value (Split)', () => {
    const r = resolveAssetchain({ name: 'A', eras: 3, reward: [5n, 4n] });
    expect(r.reward.slice(0, 4)).toEqual([5n, 4n, 4n, 4n]);
    expect(r.lastEra).toBe(2);
  });

  it('zeroes ac_perc and ac_founders without ac_pubkey/ac_script, defaults commission with founders', () => {
    expect(resolveAssetchain({ name: 'A', perc: 5, founders: 3 }).commission).toBe(0n);
    expect(resolveAssetchain({ name: 'A', perc: 5, founders: 3 }).founders).toBe(0);
    const pk = '02df9bda7bfe2bcaa938b29a399fb0ba58cfb6cc3ddc0001062a600f60a8237ad9';
    expect(resolveAssetchain({ name: 'A', pubkey: pk, founders: 3 }).commission).toBe(53846154n);
  });

  it('clamps ac_staked to 100, masks ac_txpow, resets a linear decay without an end', () => {
    expect(resolveAssetchain({ name: 'A', staked: 150 }).staked).toBe(100);
    expect(resolveAssetchain({ name: 'A', txpow: 7 }).txpow).toBe(3);
    expect(resolveAssetchain({ name: 'A', decay: [100000000n] }).decay[0]).toBe(0n);
    expect(resolveAssetchain({ name: 'A', decay: [100000000n], end: [10n] }).decay[0]).toBe(100000000n);
  });

  it('enables exactly the listed eval codes (and code 0) with ac_cc', () => {
    const r = resolveAssetchain({ name: 'A', cc: 2, ccenable: [229, 236, 240] });
    expect(r.ccEnabledCount).toBe(3);
    const enabled = [...Array(256).keys()].filter(
      (i) => ((r.ccDisableBits[i >> 3] ?? 0) & (1 << (i & 7))) === 0,
    );
    expect(enabled).toEqual([0, 229, 236, 240]);
    expect(resolveAssetchain({ name: 'A', ccenable: [229] }).ccEnabledCount).toBe(0); // ignored without ac_cc
  });

  it('coinbase maturity: 1 for single-era chains, 100 for multi-era, ac_cbmaturity wins', () => {
    expect(coinbaseMaturity({ name: 'A' })).toBe(1);
    expect(coinbaseMaturity({ name: 'A', eras: 2 })).toBe(100);
    expect(coinbaseMaturity({ name: 'A', eras: 2, cbmaturity: 7 })).toBe(7);
    expect(coinbaseMaturity({ name: 'KMD' })).toBe(100);
  });
});

describe('effectivePorts', () => {
  it('applies -port, -rpcport and the conf rpcport like komodo_args', () => {
    const koin = { name: 'KOIN', supply: 125000000 };
    expect(effectivePorts(koin, {})).toEqual({ p2p: 10701, rpc: 10702 });
    expect(effectivePorts(koin, { port: 20000 })).toEqual({ p2p: 20000, rpc: 20001 });
    expect(effectivePorts(koin, { confRpcport: 30000 })).toEqual({ p2p: 10701, rpc: 30000 });
    expect(effectivePorts(koin, { rpcport: 1, confRpcport: 30000 })).toEqual({ p2p: 10701, rpc: 1 });
    expect(effectivePorts({ name: 'KMD' }, { port: 1234 })).toEqual({ p2p: 1234, rpc: 7771 });
  });
});

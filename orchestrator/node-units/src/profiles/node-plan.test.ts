import { describe, expect, it } from 'vitest';
import { loadProfile } from './network-profiles.js';
import { planNode } from './node-plan.js';

const PUBKEY = `02${'ab'.repeat(32)}`;
const plan = (name: string, standIns = false) => planNode(loadProfile(name, { standIns }), PUBKEY);

describe('the real unit layout of a network (planNode)', () => {
  it('kmdclassic: litecoind, kmdclassicd with its real line, PIRATE in ~/.kmdclassic/PIRATE, Iguana; the same with --stand-ins but for the images', () => {
    const real = plan('kmdclassic');
    expect(real.units.map((u) => [u.role, u.chain, u.binary, u.datadir])).toEqual([
      ['destination', 'LTC', 'litecoind', '/data/.litecoin'],
      ['main', 'KMDCL', 'kmdclassicd', '/data/.kmdclassic'],
      ['assetchain', 'PIRATE', 'kmdclassicd', '/data/.kmdclassic/PIRATE'],
      ['iguana', 'iguana', 'iguana', '/data/dPoW/iguana'],
    ]);
    const [ltc, kmdcl, pirate, iguana] = real.units;
    expect(kmdcl?.cmd).toEqual([
      '-gen',
      '-genproclimit=1',
      `-pubkey=${PUBKEY}`,
      '-minrelaytxfee=0.000035',
      '-opretmintxfee=0.004',
      '-notary=.litecoin/litecoin.conf',
    ]);
    // kmdclassic/dPoW iguana/assetchains.old, with the seeds: the real network has peers.
    expect(pirate?.cmd).toEqual([
      `-pubkey=${PUBKEY}`,
      '-ac_name=PIRATE',
      '-ac_supply=0',
      '-ac_reward=25600000000',
      '-ac_halving=77777',
      '-ac_private=1',
      '-addnode=88.99.212.81',
      '-addnode=209.222.101.247',
      '-addnode=103.195.100.32',
    ]);
    expect(kmdcl?.files).toEqual(['.kmdclassic/kmdclassic.conf', '.litecoin/litecoin.conf']);
    expect(pirate?.files).toEqual(['.kmdclassic/PIRATE/PIRATE.conf', '.kmdclassic/kmdclassic.conf']);
    expect(iguana?.files).toEqual([
      'dPoW/iguana/elected',
      'dPoW/iguana/passphrase',
      '.litecoin/litecoin.conf',
      '.kmdclassic/kmdclassic.conf',
      '.kmdclassic/PIRATE/PIRATE.conf',
    ]);
    // One zcash params volume, read-only in every komodod-family unit, none in litecoind or Iguana.
    expect(real.zcashParams).toEqual({ path: '.zcash-params' });
    expect(real.units.map((u) => u.mounts.length)).toEqual([0, 1, 1, 0]);
    expect(kmdcl?.mounts).toEqual([{ volume: 'zcash-params', path: '/data/.zcash-params', readOnly: true }]);
    // Only p2p ports leave the units.
    expect(real.units.map((u) => u.publish)).toEqual([[9333], [7770], [], [13849]]);
    expect(ltc?.cmd).toEqual([]);
    expect(real.keyImports).toEqual(['LTC', 'KMDCL', 'PIRATE']);

    const standIns = plan('kmdclassic', true);
    expect(standIns.units.map((u) => u.image)).toEqual([
      'nn/devchain:0.1.0',
      'nn/devchain:0.1.0',
      'nn/devchain:0.1.0',
      'nn/deviguana-kmdclassic:0.1.0',
    ]);
    // The stand-ins' node is alone and dials no public seed: PIRATE's -addnode flags are the only other change.
    const strip = (p: typeof real) =>
      p.units.map(({ image: _image, cmd, ...rest }) => ({
        ...rest,
        cmd: cmd.filter((w) => !w.startsWith('-addnode=')),
      }));
    expect(strip(standIns)).toEqual(strip(real));
    expect(standIns.units.flatMap((u) => u.cmd).filter((w) => w.startsWith('-addnode='))).toEqual([]);
    expect(standIns.startup).toEqual(real.startup);
  });

  it('kmdclassic: the start-up sequence of m_notary_main, in its order', () => {
    const steps = plan('kmdclassic').startup.map((s) =>
      `${s.on} ${String(s.call.method ?? 'start')} ${String(s.call.newcoin ?? s.call.symbol ?? s.call.ipaddr ?? '')}`.trim(),
    );
    expect(steps[0]).toBe('KMDCL lockunspent');
    expect(steps[1]).toBe('iguana start');
    expect(steps[2]).toBe('iguana myipaddr <the node address>');
    expect(steps.slice(3, 18)).toHaveLength(15);
    expect(steps.slice(3, 18).every((s) => s.startsWith('iguana addnotary '))).toBe(true);
    expect(steps.slice(18)).toEqual([
      'iguana addcoin KMD',
      'iguana walletpassphrase',
      'iguana addcoin LTC',
      'iguana addcoin PIRATE',
      'iguana dpow KMD',
      'iguana dpow PIRATE',
    ]);
    const addKmd = plan('kmdclassic').startup[18]?.call;
    expect(addKmd).toMatchObject({ conf: 'kmdclassic.conf', path: 'data/.kmdclassic', newcoin: 'KMD' });
    expect(plan('kmdclassic').startup.at(-1)?.call).toEqual({
      agent: 'iguana',
      method: 'dpow',
      symbol: 'PIRATE',
      pubkey: PUBKEY,
    });
  });

  it('komodo: KMD and every assetchain as full nodes on komodod, no Iguana, no key, no start-up sequence', () => {
    const p = plan('komodo');
    expect(p.units.filter((u) => u.role !== 'assetchain').map((u) => [u.role, u.binary, u.cmd])).toEqual([
      ['main', 'komodod', []],
    ]);
    expect(p.units.some((u) => u.role === 'iguana')).toBe(false);
    expect(p.units.find((u) => u.chain === 'GLEEC_OLD')?.datadir).toBe('/data/.komodo/GLEEC_OLD');
    expect(p.keyImports).toEqual([]);
    expect(p.startup).toEqual([]);
  });

  it('testnet-2024: Iguana reads its testnet2024 file, DOC and MARTY dPoW with freq 10, no dpow for KMD', () => {
    const p = plan('testnet-2024');
    expect(p.units.find((u) => u.role === 'iguana')?.files[0]).toBe('dPoW/iguana/testnet2024');
    const dpow = p.startup.filter((s) => s.call.method === 'dpow').map((s) => s.call);
    expect(dpow).toEqual([
      { agent: 'iguana', method: 'dpow', symbol: 'DOC', pubkey: PUBKEY, freq: 10 },
      { agent: 'iguana', method: 'dpow', symbol: 'MARTY', pubkey: PUBKEY, freq: 10 },
    ]);
  });
});

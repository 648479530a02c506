import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iguanaPassphraseKey, toHex } from '@nn/chain-crypto';
import { validateUnitSpec } from '@nn/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BaseUnitsLayout,
  devnetElectedFile,
  iguanaUnitSpec,
  kmdUnitSpec,
  ltcUnitSpec,
} from './base-unit-specs.js';
import { loadNodeSecrets } from './node-secrets.js';
import { baseLayoutOf, devnetProfile, loadProfile } from './profiles/network-profiles.js';

const dir = mkdtempSync(join(tmpdir(), 'nn-node-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const devnet = devnetProfile();
const { destination, main, iguana } = devnet.daemons;
if (!destination || !iguana) throw new Error('the devnet has a destination and Iguana');
const layout: BaseUnitsLayout = {
  prefix: 'nn-',
  node: 'local',
  ports: { ltc: 7801, kmd: 7802, iguana: 7803 },
  images: devnet.images,
  daemons: { destination, main, iguana },
  iguanaPort: 7776,
  iguanaP2pPort: 17775,
  stopTimeoutSec: 60,
};

describe('the node’s own secrets', () => {
  it('are generated once as 0600 files and read back the same; the key is the passphrase’s', () => {
    const first = loadNodeSecrets(dir);
    const again = loadNodeSecrets(dir);
    expect(again).toEqual(first);
    expect(statSync(first.dir).mode & 0o777).toBe(0o700);
    for (const f of [first.passphraseFile, first.wifFile, first.kmd.operatorFile, first.iguana.viewerFile])
      expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(first.pubkey).toBe(toHex(iguanaPassphraseKey(first.passphrase).publicKey));
    expect(first.address).toMatch(/^R[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(
      new Set([first.kmd.viewer, first.kmd.operator, first.ltc.viewer, first.iguana.operator]).size,
    ).toBe(4);
  });
});

describe('the base units', () => {
  const s = loadNodeSecrets(dir);
  const specs = [ltcUnitSpec(layout, s), kmdUnitSpec(layout, s), iguanaUnitSpec(layout, s)];

  it('are valid runtime specs, named by the prefix, on one node', () => {
    for (const spec of specs) expect(validateUnitSpec(spec)).toBe(spec);
    expect(specs.map((u) => [u.name, u.node, u.sidecar.hostPort])).toEqual([
      ['nn-ltc', 'local', 7801],
      ['nn-kmd', 'local', 7802],
      ['nn-iguana', 'local', 7803],
    ]);
  });

  it('carry secrets only in volume files, never in commands, env or labels', () => {
    const secrets = [
      s.passphrase,
      s.wif,
      s.kmd.rpcpassword,
      s.ltc.rpcpassword,
      s.kmd.operator,
      s.iguana.viewer,
    ];
    for (const spec of specs) {
      const visible = JSON.stringify({ ...spec, files: undefined });
      for (const secret of secrets) expect(visible).not.toContain(secret);
    }
    const files = JSON.stringify(specs.map((u) => u.files));
    for (const secret of [s.passphrase, s.kmd.rpcpassword, s.ltc.rpcpassword, s.kmd.operator])
      expect(files).toContain(secret);
  });

  it('wire KMD to LTC and Iguana to both through the sidecars’ names, with Iguana’s operator tokens', () => {
    const [ltc, kmd, iguana] = specs;
    const file = (u: typeof kmd, path: string) => String(u?.files?.find((f) => f.path === path)?.content);
    const kmdSidecar = JSON.parse(file(kmd, 'nn/sidecar.json'));
    // Both chain sidecars know their daemon's data dir: they report wallet.dat's size from it.
    expect(kmdSidecar.daemon).toEqual({ conf: '/data/.komodo/komodo.conf', datadir: '/data/.komodo' });
    expect(JSON.parse(file(ltc, 'nn/sidecar.json')).daemon).toEqual({
      conf: '/data/.litecoin/litecoin.conf',
      datadir: '/data/.litecoin',
    });
    expect(kmdSidecar.bridges).toEqual([
      expect.objectContaining({ name: 'LTC', port: 9332, upstream: 'http://nn-ltc-sidecar:8080' }),
    ]);
    expect(file(kmd, 'nn/ltc.token').trim()).toBe(s.ltc.viewer);
    expect(kmd?.daemon.cmd).toEqual(
      expect.arrayContaining([`-pubkey=${s.pubkey}`, '-devnotaries=/data/nn/elected.json']),
    );
    const iguanaSidecar = JSON.parse(file(iguana, 'nn/sidecar.json'));
    expect(iguanaSidecar.coins.map((c: { kind: string; upstream: string }) => [c.kind, c.upstream])).toEqual([
      ['kmd', 'http://nn-kmd-sidecar:8080'],
      ['ltc', 'http://nn-ltc-sidecar:8080'],
    ]);
    expect(file(iguana, 'nn/kmd.token').trim()).toBe(s.kmd.operator);
    expect(iguana?.daemon.env).toEqual(['DEVIGUANA_PORT=7776']);
  });

  it('give Iguana’s sidecar the network’s own addnotary peers only when the network lists them', () => {
    const file = (u: ReturnType<typeof iguanaUnitSpec>) =>
      JSON.parse(String(u.files?.find((f) => f.path === 'nn/sidecar.json')?.content));
    expect(file(iguanaUnitSpec(layout, s))).not.toHaveProperty('addnotary');
    const peers = ['103.195.100.32', '141.94.195.209'];
    expect(file(iguanaUnitSpec({ ...layout, addnotary: peers }, s)).addnotary).toEqual(peers);
  });

  it('with --stand-ins in place of real images, start each stand-in under the real program’s name; never on the devnet', () => {
    const kmdclassic = baseLayoutOf(loadProfile('kmdclassic', { standIns: true }));
    const real = { ...layout, ...kmdclassic };
    expect(kmdUnitSpec(real, s).daemon.cmd?.slice(0, 3)).toEqual(['kmdclassicd', '-gen', '-genproclimit=1']);
    // ... and their dev flags last, so one node alone notarises in minutes on the local elected file.
    expect(ltcUnitSpec(real, s).daemon.cmd).toEqual(['litecoind', '-devblocktime=1']);
    expect(kmdUnitSpec(real, s).daemon.cmd?.slice(-2)).toEqual([
      '-devblocktime=1',
      '-devnotaries=/data/nn/elected.json',
    ]);
    expect(iguanaUnitSpec(real, s).daemon.cmd).toEqual(['iguana', 'notary', '--devnet', '--pollms', '300']);
    const devnetStandIns = { ...layout, ...baseLayoutOf(loadProfile('devnet', { standIns: true })) };
    expect(kmdUnitSpec(devnetStandIns, s).daemon.cmd).toEqual(kmdUnitSpec(layout, s).daemon.cmd);
    expect(kmdUnitSpec(layout, s).daemon.cmd?.[0]).toBe('-devblocktime=1');
  });

  it('komodo: the main chain alone (no bridge, no elected file, no LTC token), the zcash params volume read-only', () => {
    const komodo = baseLayoutOf(loadProfile('komodo', { standIns: true }), 'o1-');
    const { iguanaPort: _port, iguanaP2pPort: _p2p, ...frame } = layout;
    const full = { ...frame, ...komodo };
    expect(komodo.daemons.destination).toBeNull();
    expect(komodo.daemons.iguana).toBeNull();
    expect(komodo).not.toHaveProperty('iguanaPort');
    const kmd = kmdUnitSpec(full, s);
    expect(validateUnitSpec(kmd)).toBe(kmd);
    expect(kmd.mounts).toEqual([{ volume: 'o1-zcash-params', path: '/data/.zcash-params', readOnly: true }]);
    // The stand-in komodod: its blocks every second, no -devnotaries (no elected file without Iguana).
    expect(kmd.daemon.cmd).toEqual(['komodod', '-devblocktime=1']);
    expect(kmd.files?.map((f) => f.path)).toEqual([
      '.komodo/komodo.conf',
      'nn/sidecar.json',
      'nn/tokens.json',
    ]);
    expect(
      JSON.parse(String(kmd.files?.find((f) => f.path === 'nn/sidecar.json')?.content)),
    ).not.toHaveProperty('bridges');
    expect(() => ltcUnitSpec(full, s)).toThrow(/no destination chain/);
    expect(() => iguanaUnitSpec(full, s)).toThrow(/no Iguana/);
    // kmdclassic: KMDCL mounts it, litecoind (bitcoin flavour) does not; the devnet has no such volume.
    const kmdclassic = { ...layout, ...baseLayoutOf(loadProfile('kmdclassic', { standIns: true }), 'k1-') };
    expect(kmdUnitSpec(kmdclassic, s).mounts).toHaveLength(1);
    expect(ltcUnitSpec(kmdclassic, s).mounts).toBeUndefined();
    expect(baseLayoutOf(devnet, 'nn-')).not.toHaveProperty('zcashParams');
    // Iguana reads KMDCL's conf where kmdclassicd keeps it; the devnet's stays komodod's default.
    const coins = (u: ReturnType<typeof iguanaUnitSpec>) =>
      JSON.parse(String(u.files?.find((f) => f.path === 'nn/sidecar.json')?.content)).coins;
    expect(coins(iguanaUnitSpec(kmdclassic, s))[0].confPath).toBe('/data/.kmdclassic/kmdclassic.conf');
    expect(coins(iguanaUnitSpec(layout, s))[0]).not.toHaveProperty('confPath');
    expect(baseLayoutOf(loadProfile('kmdclassic', { standIns: true })).chainProgram).toBe('kmdclassicd');
    expect(baseLayoutOf(devnet)).not.toHaveProperty('chainProgram');
  });

  it('kmdclassic: Iguana runs in its working dir (~/dPoW/iguana) and reads elected there, the local file with the stand-ins, the network’s list with the real images', () => {
    const stand = { ...layout, ...baseLayoutOf(loadProfile('kmdclassic', { standIns: true }), 'k1-') };
    const u = iguanaUnitSpec(stand, s);
    expect(validateUnitSpec(u)).toBe(u);
    expect(u.daemon.workdir).toBe('/data/dPoW/iguana');
    expect(u.daemon.cmd?.slice(0, 2)).toEqual(['iguana', 'notary']);
    const file = (spec: typeof u, path: string) => String(spec.files?.find((f) => f.path === path)?.content);
    expect(JSON.parse(file(u, 'dPoW/iguana/elected'))).toEqual(
      JSON.parse(devnetElectedFile(s.pubkey, 13849)),
    );
    expect(u.files?.some((f) => f.path === 'nn/elected.json')).toBe(false);
    expect(JSON.parse(file(u, 'nn/sidecar.json')).electedFile).toBe('/data/dPoW/iguana/elected');
    const real = { ...layout, ...baseLayoutOf(loadProfile('kmdclassic', { standIns: false }), 'k1-') };
    const list = JSON.parse(file(iguanaUnitSpec(real, s), 'dPoW/iguana/elected'));
    expect(list).toMatchObject({ port: 13849, BTCminsigs: 13, minsigs: 13 });
    expect(list.notaries.length).toBeGreaterThan(13);
    expect(list).not.toHaveProperty('source');
    // The devnet's stand-in is given the path: no working dir, the file where it always was.
    expect(iguanaUnitSpec(layout, s).daemon).not.toHaveProperty('workdir');
    expect(iguanaUnitSpec(layout, s).files?.some((f) => f.path === 'nn/elected.json')).toBe(true);
  });

  it('write the devnet elected file in Iguana’s format: this notary alone, one signature', () => {
    expect(JSON.parse(devnetElectedFile(s.pubkey))).toEqual({
      port: 17775,
      BTCminsigs: 1,
      minsigs: 1,
      seeds: [],
      notaries: [{ dev_NN: s.pubkey }],
    });
  });
});

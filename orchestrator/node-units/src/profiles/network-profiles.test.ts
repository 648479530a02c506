// biome-ignore-all lint/suspicious/noTemplateCurlyInString: network files write placeholders as ${name}, literally
import { describe, expect, it } from 'vitest';
import {
  defaultChainResources,
  layoutGaps,
  loadProfile,
  missingForProfile,
  nodeMemoryBytes,
  standInChainArgs,
} from './network-profiles.js';

const noImages = async () => false;
const allImages = async () => true;
const passphrase = (present: boolean) => ({ file: '/home/op/.nn/node/secrets/node/passphrase', present });
const profile = (name: string, standIns = false) => loadProfile(name, { standIns });

describe('the profile of a network file', () => {
  it('devnet: the stand-ins, three Season 8 assetchains without their seeds, a generated key', () => {
    const p = profile('devnet');
    expect(p.images).toEqual({
      ltcDaemon: 'nn/devchain:0.1.0',
      kmdDaemon: 'nn/devchain:0.1.0',
      iguanaDaemon: 'nn/deviguana:0.1.0',
      chainSidecar: 'nn/chain-sidecar:0.1.0',
      iguanaSidecar: 'nn/iguana-sidecar:0.1.0',
    });
    expect(p.chains.map((c) => c.ac_name)).toEqual(['CCL', 'ILN', 'KOIN']);
    expect(p).toMatchObject({
      useSeedNodes: false,
      generatedKey: true,
      requirePeers: false,
      fundLocally: true,
      iguanaPort: 7776,
    });
    expect(layoutGaps(p)).toEqual([]);
    for (const name of ['kmdclassic', 'komodo', 'testnet-2024'])
      for (const standIns of [false, true]) expect(layoutGaps(profile(name, standIns)), name).toEqual([]);
  });

  it('--stand-ins on real images: one node alone (generated key, no public seeds, no peers awaited), funded locally where it notarises', () => {
    expect(profile('kmdclassic', true)).toMatchObject({
      generatedKey: true,
      useSeedNodes: false,
      requirePeers: false,
      fundLocally: true,
    });
    expect(profile('kmdclassic')).toMatchObject({
      generatedKey: false,
      useSeedNodes: true,
      fundLocally: false,
    });
    expect(profile('komodo', true)).toMatchObject({
      useSeedNodes: false,
      requirePeers: false,
      fundLocally: false,
    });
    expect(standInChainArgs(profile('kmdclassic', true))).toEqual([
      '-devblocktime=1',
      '-devnotaries=/data/nn/elected.json',
    ]);
    expect(standInChainArgs(profile('komodo', true))).toEqual([]);
    expect(standInChainArgs(profile('devnet', true))).toEqual([]);
    expect(profile('devnet', true)).toMatchObject({
      useSeedNodes: false,
      fundLocally: true,
      generatedKey: true,
    });
    // The node admits the whole network with the stand-ins (komodo: KMD and 11 assetchains at 2 GiB).
    const host = 8 * 1024 ** 3;
    expect(nodeMemoryBytes(profile('komodo', true), host)).toBe(12 * 2 * 1024 ** 3);
    expect(nodeMemoryBytes(profile('komodo'), host)).toBe(Math.floor(host * 0.8));
    expect(nodeMemoryBytes(profile('devnet', true), host)).toBe(Math.floor(host * 0.8));
    // A devnet's chains are devchain itself and reserve its small share; real daemons keep the 2 GiB
    // default, also when --stand-ins runs devchain in their place.
    expect(defaultChainResources(profile('devnet'))).toEqual({
      memoryBytes: 512 * 1024 ** 2,
      diskBytes: 2 * 1024 ** 3,
    });
    expect(defaultChainResources(profile('komodo'))).toBeUndefined();
    expect(defaultChainResources(profile('komodo', true))).toBeUndefined();
  });

  it('--stand-ins swaps the images by reference only: the daemons, command lines and chains stay the network’s', () => {
    const real = profile('kmdclassic');
    const stand = profile('kmdclassic', true);
    expect(real.images).toMatchObject({
      ltcDaemon: 'nn/litecoind:0.21.4',
      kmdDaemon: 'nn/kmdclassicd:1.0.0-beta25',
      iguanaDaemon: 'nn/iguana:kmdclassic-d7055a8',
    });
    expect(stand.images).toMatchObject({
      ltcDaemon: 'nn/devchain:0.1.0',
      kmdDaemon: 'nn/devchain:0.1.0',
      iguanaDaemon: 'nn/deviguana-kmdclassic:0.1.0',
    });
    expect(stand.chainImage).toBe('nn/devchain:0.1.0');
    expect(stand.daemons).toEqual(real.daemons);
    expect(stand.chains).toEqual(real.chains);
  });
});

describe('missingForProfile', () => {
  it('devnet: nothing is missing once the project images are built', async () => {
    expect(await missingForProfile(profile('devnet'), allImages, passphrase(false))).toEqual([]);
    expect(await missingForProfile(profile('devnet'), noImages, passphrase(false))).toEqual([
      'image nn/devchain:0.1.0: build it with bash images/build.sh',
      'image nn/chain-sidecar:0.1.0: build it with bash images/build.sh',
      'image nn/iguana-sidecar:0.1.0: build it with bash images/build.sh',
      'image nn/deviguana:0.1.0: build it with bash images/build.sh',
    ]);
  });

  it('kmdclassic without the real images: exactly the images (with their upstream commits) and the passphrase', async () => {
    const missing = await missingForProfile(profile('kmdclassic'), noImages, passphrase(false));
    // Nothing else: the real unit layout is built (layoutGaps is empty for every shipped network).
    expect(missing).toEqual([
      'image nn/litecoind:0.21.4: the real daemon from litecoin-project/litecoin at beae01d (v0.21.4): build it from images/real (see images/real/README.md; needs the network to fetch sources)',
      'image nn/kmdclassicd:1.0.0-beta25: the real daemon from kmdclassic/KmdClassic at 8f0b46062d56ba4b89856d169474f6d88128d743 (v1.0.0-beta25): build it from images/real (see images/real/README.md; needs the network to fetch sources)',
      'image nn/chain-sidecar:0.1.0: build it with bash images/build.sh',
      'image nn/iguana-sidecar:0.1.0: build it with bash images/build.sh',
      'image nn/iguana:kmdclassic-d7055a8: the real daemon from kmdclassic/dPoW at d7055a81870d34b25b9fe29a13e4b9c7e52dc62b (master): build it from images/real (see images/real/README.md; needs the network to fetch sources)',
      'the kmdclassic notary passphrase: put it in /home/op/.nn/node/secrets/node/passphrase (mode 600); its key must be in the kmdclassic elected file',
    ]);
  });

  it('a network whose assetchains live outside the main chain’s data dir: the layout gap, before anything is made', async () => {
    const p = profile('kmdclassic', true);
    const odd = {
      ...p,
      spec: { ...p.spec, assetchains: { ...p.spec.assetchains, datadir: '.pirate/${ac_name}' } },
    };
    expect(layoutGaps(odd)).toEqual([
      "assetchain units with their data in .pirate/${ac_name} (the jobs put them in the main chain's .kmdclassic/${ac_name})",
    ]);
    expect((await missingForProfile(odd, allImages, passphrase(true))).at(-1)).toMatch(
      /^the kmdclassic unit layout is not built yet: assetchain units/,
    );
  });

  it('komodo: its notice first; no Litecoin or Iguana image is asked for; no passphrase (full nodes)', async () => {
    const missing = await missingForProfile(profile('komodo'), noImages, passphrase(false));
    expect(missing[0]).toMatch(/^dPoW is off on Komodo mainline since 4-5 January 2026/);
    expect(missing.some((m) => /litecoind|iguana:/.test(m))).toBe(false);
    expect(missing.some((m) => m.includes('passphrase'))).toBe(false);
    expect(missing).toContain(
      'image nn/komodod:0.9.2-2: the real daemon from GLEECBTC/komodo-daemon at ae588a9 (v0.9.2-2): build it from images/real (see images/real/README.md; needs the network to fetch sources)',
    );
    // Its notice alone stops nothing: with its images present it runs.
    expect(await missingForProfile(profile('komodo', true), allImages, passphrase(false))).toEqual([]);
  });

  it('testnet-2024: the HF-net komodod and its Iguana, no Litecoin', async () => {
    const missing = await missingForProfile(profile('testnet-2024'), noImages, passphrase(false));
    expect(missing.some((m) => m.includes('litecoind'))).toBe(false);
    expect(missing).toContain(
      'image nn/komodod:hfnet-2024: the real daemon from KomodoPlatform/komodo at 52c01222c85a7b11f0c301feee8aca91cbf92a5d (patch-s8-prepare-hf-test): build it from images/real (see images/real/README.md; needs the network to fetch sources)',
    );
  });
});

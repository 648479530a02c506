import { describe, expect, it } from 'vitest';
import { missingForProfile, PROFILES } from './network-profiles.js';

const noImages = async () => false;
const allImages = async () => true;
const passphrase = (present: boolean) => ({ file: '/home/op/.nn/node/secrets/node/passphrase', present });

describe('missingForProfile', () => {
  it('devnet: nothing is missing once the project images are built', async () => {
    expect(await missingForProfile(PROFILES.devnet, allImages, passphrase(false))).toEqual([]);
    const missing = await missingForProfile(PROFILES.devnet, noImages, passphrase(false));
    expect(missing).toEqual([
      'image nn/devchain:0.1.0: build it with bash images/build.sh',
      'image nn/deviguana:0.1.0: build it with bash images/build.sh',
      'image nn/chain-sidecar:0.1.0: build it with bash images/build.sh',
      'image nn/iguana-sidecar:0.1.0: build it with bash images/build.sh',
    ]);
  });

  it('testnet: the HF-net komodod and Iguana, no Litecoin (the 2024 testnet notarises only into KMD)', async () => {
    const missing = await missingForProfile(PROFILES.testnet, noImages, passphrase(false));
    expect(missing.some((m) => m.includes('litecoind'))).toBe(false);
    expect(missing[0]).toMatch(
      /^image nn\/komodod:hfnet-2024: komodod built from komodo's patch-s8-prepare-hf-test/,
    );
    expect(missing).toContain(
      'image nn/iguana:0.8.4-2f846c0: build it from images/real (see images/real/README.md; needs the network to fetch sources)',
    );
    expect(missing).toContain(
      'the testnet notary passphrase: put it in /home/op/.nn/node/secrets/node/passphrase (mode 600); its key must be in the testnet elected file',
    );
    expect(missing.at(-1)).toMatch(/real testnet unit layout .* is not built yet/);
  });

  it('mainnet: says first that dPoW has ended there, then what else is missing', async () => {
    const missing = await missingForProfile(PROFILES.mainnet, noImages, passphrase(true));
    expect(missing[0]).toMatch(/^dPoW on mainnet was sunset on 4-5 January 2026/);
    expect(missing).toContain(
      'image nn/litecoind:0.21.4: build it from images/real (see images/real/README.md; needs the network to fetch sources)',
    );
    expect(missing.some((m) => m.includes('passphrase'))).toBe(false);
    // Even with every image and the key, the profile says it cannot run rather than start half a node.
    expect((await missingForProfile(PROFILES.mainnet, allImages, passphrase(true))).length).toBe(2);
  });
});

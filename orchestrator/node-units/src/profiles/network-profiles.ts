import type { BaseImages } from '../base-unit-specs.js';
import season8 from './assetchains.s8.json' with { type: 'json' };
import testnet from './assetchains.testnet.json' with { type: 'json' };

// What `nnctl up --network X` brings up. devnet runs on the project's stand-ins and is complete here;
// testnet and mainnet need the real daemon images (images/real) and the operator's real notary key,
// and say exactly which are missing.

export type NetworkName = 'devnet' | 'testnet' | 'mainnet';
export const NETWORKS: readonly NetworkName[] = ['devnet', 'testnet', 'mainnet'];

export interface NetworkProfile {
  readonly network: NetworkName;
  readonly images: BaseImages;
  /**
   * The chain KMD notarises into, whose unit the node runs: LTC on devnet and mainnet; none on the 2024
   * testnet, where only the assetchains are notarised (into KMD) [dPoW branch 2024-testnet].
   */
  readonly destination: 'LTC' | null;
  /** Facts an operator must know before this profile can mean anything, first in the missing list. */
  readonly notices: readonly string[];
  /** The daemon image of every assetchain. */
  readonly chainImage: string;
  /** The assetchains.json entries that go in through the queue. */
  readonly chains: ReadonlyArray<Record<string, unknown>>;
  /** Whether the entries' addnode seeds reach the daemons (never on a devnet). */
  readonly useSeedNodes: boolean;
  /** Extra daemon flags for LTC, KMD and the assetchains. */
  readonly chainArgs: readonly string[];
  /** Iguana's API port: 7776 on mainnet, 7779 for the testnet's third-party Iguana. */
  readonly iguanaPort: number;
  /** The notary passphrase is generated (devnet) or must be supplied by the operator. */
  readonly generatedKey: boolean;
  /** Chains must have peers to count as ready. */
  readonly requirePeers: boolean;
}

/**
 * The devnet's assetchains: three Season 8 chains whose coins go to the notary's -pubkey from the first
 * block (staked chains and ac_pubkey chains would leave the notary without funds to notarise with).
 * Their addnode seeds are dropped.
 */
export const DEVNET_CHAINS = ['CCL', 'ILN', 'KOIN'];
const S8_MAIN = season8 as ReadonlyArray<Record<string, unknown>>;

const STAND_INS: BaseImages = {
  ltcDaemon: 'nn/devchain:0.1.0',
  kmdDaemon: 'nn/devchain:0.1.0',
  iguanaDaemon: 'nn/deviguana:0.1.0',
  chainSidecar: 'nn/chain-sidecar:0.1.0',
  iguanaSidecar: 'nn/iguana-sidecar:0.1.0',
};
const REAL: BaseImages = {
  ltcDaemon: 'nn/litecoind:0.21.4',
  kmdDaemon: 'nn/komodod:0.9.0-2651eaf',
  iguanaDaemon: 'nn/iguana:0.8.4-2f846c0',
  chainSidecar: 'nn/chain-sidecar:0.1.0',
  iguanaSidecar: 'nn/iguana-sidecar:0.1.0',
};
/** The 2024 testnet ran KMD from komodo's `patch-s8-prepare-hf-test` branch ("HF Net"), not the S8 build. */
const TESTNET_KMD = 'nn/komodod:hfnet-2024';

export const PROFILES: Readonly<Record<NetworkName, NetworkProfile>> = {
  devnet: {
    network: 'devnet',
    images: STAND_INS,
    destination: 'LTC',
    notices: [],
    chainImage: 'nn/devchain:0.1.0',
    chains: S8_MAIN.filter((e) => DEVNET_CHAINS.includes(String(e.ac_name))),
    useSeedNodes: false,
    chainArgs: ['-devblocktime=1'],
    iguanaPort: 7776,
    generatedKey: true,
    requirePeers: false,
  },
  testnet: {
    network: 'testnet',
    images: { ...REAL, kmdDaemon: TESTNET_KMD },
    destination: null,
    notices: [],
    chainImage: REAL.kmdDaemon,
    chains: testnet as ReadonlyArray<Record<string, unknown>>,
    useSeedNodes: true,
    chainArgs: [],
    iguanaPort: 7779,
    generatedKey: false,
    requirePeers: true,
  },
  mainnet: {
    network: 'mainnet',
    images: REAL,
    destination: 'LTC',
    notices: [
      'dPoW on mainnet was sunset on 4-5 January 2026 (dPoW doc/update085.md): komodod v0.9.2 (e0f463a) replaces it with automatic checkpoints, so Iguana has nothing left to notarise there',
    ],
    chainImage: REAL.kmdDaemon,
    chains: S8_MAIN,
    useSeedNodes: true,
    chainArgs: [],
    iguanaPort: 7776,
    generatedKey: false,
    requirePeers: true,
  },
};

/**
 * What stops a profile from running here, each as a sentence an operator can act on; empty when
 * nothing does. `hasImage` asks the engine; `passphraseFile` is where the operator's key must be.
 */
export async function missingForProfile(
  profile: NetworkProfile,
  hasImage: (ref: string) => Promise<boolean>,
  passphrase: { readonly file: string; readonly present: boolean },
): Promise<string[]> {
  const missing: string[] = [...profile.notices];
  const { ltcDaemon, ...others } = profile.images;
  const needed = [...(profile.destination === 'LTC' ? [ltcDaemon] : []), ...Object.values(others)];
  for (const ref of new Set([...needed, profile.chainImage]))
    if (!(await hasImage(ref)))
      missing.push(
        ref === TESTNET_KMD
          ? `image ${ref}: komodod built from komodo's patch-s8-prepare-hf-test branch (the 2024 testnet's "HF Net"; images/real/komodod.Dockerfile with KOMODO_COMMIT set to that branch's head commit; branch names are refused)`
          : ref.startsWith('nn/komodod') || ref.startsWith('nn/litecoind') || ref.startsWith('nn/iguana:')
            ? `image ${ref}: build it from images/real (see images/real/README.md; needs the network to fetch sources)`
            : `image ${ref}: build it with bash images/build.sh`,
      );
  if (!profile.generatedKey && !passphrase.present)
    missing.push(
      `the ${profile.network} notary passphrase: put it in ${passphrase.file} (mode 600); its key must be in the ${profile.network} elected file`,
    );
  if (profile.network !== 'devnet')
    missing.push(
      `the real ${profile.network} unit layout (the real ${profile.destination === 'LTC' ? 'komodod/litecoind/Iguana' : 'komodod/Iguana'} command lines and Iguana's elected file) is not built yet: only devnet runs end to end`,
    );
  return missing;
}

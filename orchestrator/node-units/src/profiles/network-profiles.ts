import {
  type ChainDaemon,
  type IguanaDaemon,
  type LoadedNetwork,
  loadNetwork,
  type Network,
} from '@nn/networks';
import {
  type ChainResources,
  DEFAULT_CHAIN_RESOURCES,
  DEVCHAIN_CHAIN_RESOURCES,
} from '@nn/orchestrator-core';
import { type BaseImages, type BaseUnitsLayout, STAND_IN_FLAGS } from '../base-unit-specs.js';

// What `nnctl up --network X` brings up, read from the network's file (networks/<name>.json or the
// operator's own). With --stand-ins every daemon image is replaced by its stand-in, by reference only:
// the layout, command lines, files and start-up order stay the network's.

const CHAIN_SIDECAR = 'nn/chain-sidecar:0.1.0';
const IGUANA_SIDECAR = 'nn/iguana-sidecar:0.1.0';

export interface NetworkProfile {
  readonly network: string;
  /** The network file it comes from. */
  readonly file: string;
  readonly spec: Network;
  readonly standIns: boolean;
  readonly images: BaseImages;
  /** The node's own daemons by role, as the file has them. */
  readonly daemons: {
    readonly destination: ChainDaemon | null;
    readonly main: ChainDaemon;
    readonly iguana: IguanaDaemon | null;
  };
  /** The destination's chain (LTC), or null where only the assetchains are notarised (testnet-2024). */
  readonly destination: string | null;
  readonly notices: readonly string[];
  /** The daemon image of every assetchain. */
  readonly chainImage: string;
  /** The assetchains.json entries that go in through the queue. */
  readonly chains: ReadonlyArray<Record<string, unknown>>;
  readonly useSeedNodes: boolean;
  /** Iguana's API port (7776 main, 7779 third-party and the 2024 testnet); null without Iguana. */
  readonly iguanaPort: number | null;
  /** The notary passphrase is generated (devnet) or must be supplied by the operator. */
  readonly generatedKey: boolean;
  readonly requirePeers: boolean;
  readonly fundLocally: boolean;
  readonly stopTimeoutSec: number;
}

/** The profile of a loaded network; `standIns` swaps every daemon image for its stand-in. */
export function profileOf(loaded: LoadedNetwork, opts: { standIns: boolean }): NetworkProfile {
  const n = loaded.network;
  const pick = (image: { ref: string; standIn: string }) => (opts.standIns ? image.standIn : image.ref);
  const byRole = <R extends string>(role: R) => n.daemons.find((d) => d.role === role);
  const main = byRole('main') as ChainDaemon; // the schema requires exactly one
  const destination = (byRole('destination') as ChainDaemon | undefined) ?? null;
  const iguana = (byRole('iguana') as IguanaDaemon | undefined) ?? null;
  // --stand-ins on a network of real images (the devnet's own images are its stand-ins).
  const replaced =
    opts.standIns && [...n.daemons.map((d) => d.image), n.assetchains.image].some((i) => i.ref !== i.standIn);
  return {
    network: n.name,
    file: loaded.file,
    spec: n,
    standIns: opts.standIns,
    images: {
      ltcDaemon: destination ? pick(destination.image) : '',
      kmdDaemon: pick(main.image),
      iguanaDaemon: iguana ? pick(iguana.image) : '',
      chainSidecar: CHAIN_SIDECAR,
      iguanaSidecar: IGUANA_SIDECAR,
    },
    daemons: { destination, main, iguana },
    destination: destination?.chain ?? null,
    notices: n.notices,
    chainImage: pick(n.assetchains.image),
    chains: n.assetchains.entries,
    // The stand-ins run one node alone on a local elected file: its key is generated, it dials no
    // public seed and waits for no peer, and it mines its own funds where it notarises.
    useSeedNodes: n.node.useSeedNodes && !replaced,
    iguanaPort: n.iguana?.api ?? null,
    generatedKey: n.node.key === 'generated' || replaced,
    requirePeers: n.node.requirePeers && !replaced,
    fundLocally: n.node.fundLocally || (replaced && destination !== null && iguana !== null),
    stopTimeoutSec: n.node.stopTimeoutSec,
  };
}

/** Loads a network by shipped name or path and makes its profile. Throws NetworkFileError. */
export function loadProfile(nameOrPath: string, opts: { standIns: boolean; cwd?: string }): NetworkProfile {
  return profileOf(loadNetwork(nameOrPath, opts.cwd === undefined ? {} : { cwd: opts.cwd }), opts);
}

/**
 * The parts of the base units' layout a profile decides: images, the node's daemons (the main chain,
 * and the destination and Iguana where the network has them), Iguana's ports, the zcash params volume
 * (named after the node's unit prefix: one per node).
 */
export function baseLayoutOf(
  p: NetworkProfile,
  prefix?: string,
): Pick<
  BaseUnitsLayout,
  | 'images'
  | 'daemons'
  | 'iguanaPort'
  | 'iguanaP2pPort'
  | 'addnotary'
  | 'programFirst'
  | 'zcashParams'
  | 'chainProgram'
  | 'elected'
> {
  const ig = p.daemons.iguana && p.spec.iguana ? p.spec.iguana : null;
  const ac = p.spec.assetchains;
  return {
    images: p.images,
    daemons: { ...p.daemons, iguana: ig ? p.daemons.iguana : null },
    ...(ig
      ? { iguanaPort: ig.api, iguanaP2pPort: ig.p2p, addnotary: ig.addnotary, elected: ig.elected }
      : {}),
    programFirst: p.standIns,
    ...(p.standIns && ac.image.ref !== ac.image.standIn ? { chainProgram: ac.binary } : {}),
    ...(p.spec.zcashParams && prefix !== undefined
      ? { zcashParams: { volume: `${prefix}zcash-params`, path: p.spec.zcashParams.path } }
      : {}),
  };
}

/**
 * The assetchain units' flags a stand-in needs beyond the network's command line (see STAND_IN_FLAGS;
 * -devnotaries reads the local elected file, which then goes into every chain unit); none otherwise.
 */
export function standInChainArgs(p: NetworkProfile): string[] {
  const ac = p.spec.assetchains.image;
  return p.standIns && ac.ref !== ac.standIn && p.daemons.iguana ? [...STAND_IN_FLAGS.komodo] : [];
}

/**
 * The memory a node declares for its chain units: 80 % of the host's. With the stand-ins in place of
 * real images, at least every chain's reservation (komodo's eleven assetchains at 2 GiB each exceed a
 * small host's, and the stand-ins use a small part of it): the reservation stays the real daemons'
 * (it is also each daemon's memory limit), and the node admits the whole network.
 */
export function nodeMemoryBytes(p: NetworkProfile, hostBytes: number): number {
  const own = Math.floor(hostBytes * 0.8);
  const ac = p.spec.assetchains.image;
  if (!p.standIns || ac.ref === ac.standIn) return own;
  return Math.max(own, (p.chains.length + 1) * DEFAULT_CHAIN_RESOURCES.memoryBytes);
}

/**
 * What a chain added without `resources` reserves on this network's node: devchain's own small
 * reservation when the network's assetchains run the stand-in itself (the devnet: 38 chains fit a
 * 24 GiB host instead of 9), none (the core's 2 GiB default) for real daemons, also under --stand-ins,
 * whose reservation stays the real daemons' (see nodeMemoryBytes).
 */
export function defaultChainResources(p: NetworkProfile): ChainResources | undefined {
  const ac = p.spec.assetchains.image;
  return ac.ref === ac.standIn ? DEVCHAIN_CHAIN_RESOURCES : undefined;
}

/** The devnet, as networks/devnet.json has it: what tests deploy beside `nnctl up`. */
export const devnetProfile = (): NetworkProfile => loadProfile('devnet', { standIns: false });

/**
 * The layout the node units build: the main chain, with or without a destination chain and Iguana,
 * the shared zcash params volume, assetchains in the main chain's data dir (`<datadir>/NAME`, reading
 * its conf), Iguana's elected file where its command line reads it. What a network needs beyond it is
 * listed, so that a network file asking for it says so before anything is created instead of starting
 * half a node.
 */
export function layoutGaps(p: NetworkProfile): string[] {
  const gaps: string[] = [];
  const ac = p.spec.assetchains;
  const expected = `${p.daemons.main.datadir}/\${ac_name}`;
  if (ac.entries.length > 0 && ac.datadir !== expected)
    gaps.push(
      `assetchain units with their data in ${ac.datadir} (the jobs put them in the main chain's ${expected})`,
    );
  if (ac.entries.length > 0 && ac.conf !== `\${ac_name}.conf`)
    gaps.push(`assetchain confs named ${ac.conf} (the daemons read \${ac_name}.conf)`);
  return gaps;
}

/**
 * What stops a profile from running here, each as a sentence an operator can act on, after the
 * network's notices; empty when nothing does. `hasImage` asks the engine; `passphraseFile` is where the operator's key must be.
 */
export async function missingForProfile(
  profile: NetworkProfile,
  hasImage: (ref: string) => Promise<boolean>,
  passphrase: { readonly file: string; readonly present: boolean },
): Promise<string[]> {
  const missing: string[] = [];
  const { ltcDaemon, iguanaDaemon, ...others } = profile.images;
  const needed = [
    ...(profile.daemons.destination ? [ltcDaemon] : []),
    ...Object.values(others),
    ...(profile.daemons.iguana ? [iguanaDaemon] : []),
    profile.chainImage,
  ];
  const standIns = new Set(
    [...profile.spec.daemons.map((d) => d.image), profile.spec.assetchains.image]
      .filter((i) => 'dockerfile' in i.source)
      .map((i) => i.ref),
  );
  for (const ref of new Set(needed))
    if (!(await hasImage(ref))) missing.push(`image ${ref}: ${howToBuild(profile, ref, standIns)}`);
  if (!profile.generatedKey && !passphrase.present)
    missing.push(
      `the ${profile.network} notary passphrase: put it in ${passphrase.file} (mode 600); its key must be in the ${profile.network} elected file`,
    );
  const gaps = layoutGaps(profile);
  if (gaps.length > 0)
    missing.push(`the ${profile.network} unit layout is not built yet: ${gaps.join('; ')}`);
  // A notice (komodo: dPoW is off) goes with what is missing; alone it stops nothing (nnctl up shows it).
  return missing.length > 0 ? [...profile.notices, ...missing] : [];
}

function howToBuild(profile: NetworkProfile, ref: string, standIns: ReadonlySet<string>): string {
  if (profile.standIns || standIns.has(ref) || ref === CHAIN_SIDECAR || ref === IGUANA_SIDECAR)
    return 'build it with bash images/build.sh';
  const image = [...profile.spec.daemons.map((d) => d.image), profile.spec.assetchains.image].find(
    (i) => i.ref === ref,
  );
  const from =
    image && 'repository' in image.source
      ? ` from ${image.source.repository} at ${image.source.commit}${image.source.ref ? ` (${image.source.ref})` : ''}`
      : '';
  return `the real daemon${from}: build it from images/real (see images/real/README.md; needs the network to fetch sources)`;
}

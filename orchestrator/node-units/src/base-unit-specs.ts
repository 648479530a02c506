import type { SidecarConfigInput } from '@nn/chain-sidecar/contract';
import type { IguanaSidecarConfigInput } from '@nn/iguana-sidecar/contract';
import { type ChainDaemon, fillPlaceholders, type IguanaDaemon, type Network } from '@nn/networks';
import type { UnitSpec } from '@nn/runtime';
import type { NodeSecrets } from './node-secrets.js';

// The notary node's own units as the Runtime deploys them: the dPoW destination chain (litecoin
// flavour), KMD and Iguana, each a daemon plus its sidecar in one namespace (see docs/architecture.md).
// Pure functions of the options and the node's secrets, so every `up` produces the same specs and the
// runtime leaves running units as they are. Command lines, data dirs, conf names and ports are the
// network file's (@nn/networks); only the sidecars and their files are this package's.

/** Inside every unit: the volume's mount, the sidecar's API port, the files' directory. */
export const HOME = '/data';
export const SIDECAR_PORT = 8080;
const NN = 'nn';

/** Images of a profile. devnet: the project's stand-ins. */
export interface BaseImages {
  readonly ltcDaemon: string;
  readonly kmdDaemon: string;
  readonly iguanaDaemon: string;
  readonly chainSidecar: string;
  readonly iguanaSidecar: string;
}

export interface BaseUnitsLayout {
  /** Unit names are `<prefix>ltc`, `<prefix>kmd`, `<prefix>iguana`. */
  readonly prefix: string;
  /** The node (engine) all three run on. */
  readonly node: string;
  readonly network?: string;
  /** Host ports of the three sidecar APIs on the node's cluster address. */
  readonly ports: { readonly ltc: number; readonly kmd: number; readonly iguana: number };
  readonly images: BaseImages;
  /** Extra labels on every unit (the orchestrator instance). */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The network file's daemons: the destination chain (LTC), the main chain (KMD, KMDCL) and Iguana.
   * A node of the checkpoint era (komodo) has neither a destination nor Iguana; the 2024 testnet
   * notarises its assetchains into KMD only.
   */
  readonly daemons: {
    readonly destination: ChainDaemon | null;
    readonly main: ChainDaemon;
    readonly iguana: IguanaDaemon | null;
  };
  /** Iguana's API port (7776 main, 7779 third party) and its notary p2p port (the elected file's); with Iguana only. */
  readonly iguanaPort?: number;
  readonly iguanaP2pPort?: number;
  /**
   * The node's one zcash params volume, mounted read-only at `path` (under HOME) into every
   * komodod-family unit; absent where the network has none (the devnet's stand-ins need none).
   */
  readonly zcashParams?: { readonly volume: string; readonly path: string };
  /** With --stand-ins: the assetchains' real program, which the stand-in takes as its first word. */
  readonly chainProgram?: string;
  /**
   * The network's elected file, written where its Iguana reads it when the command line names none
   * (`iguana notary`: `elected` in its working dir). With the stand-ins, or `notaries: local`, the local
   * file (this node alone) takes the notary list's place.
   */
  readonly elected?: NonNullable<Network['iguana']>['elected'];
  /**
   * The images stand in for real daemons (--stand-ins): the real images run their program as the entry
   * point, the stand-ins take its name as the first word (devchain `kmdclassicd ...`, deviguana
   * `iguana notary`), so it goes first in the command line. Never for the devnet, whose own images are
   * the network's.
   */
  readonly programFirst?: boolean;
  /** The network's addnotary peers for Iguana's start-up sequence; empty or absent: the elected seeds. */
  readonly addnotary?: readonly string[];
  readonly stopTimeoutSec: number;
}

export const unitNames = (prefix: string) => ({
  ltc: `${prefix}ltc`,
  kmd: `${prefix}kmd`,
  iguana: `${prefix}iguana`,
});

/** A unit's sidecar as other units on the same node reach it (its name on the cluster network). */
export const sidecarByName = (unit: string): string => `http://${unit}-sidecar:${SIDECAR_PORT}`;

/**
 * The local elected-notaries file (the devnet's, and every network's with --stand-ins): this node
 * alone, one signature enough, on the network's notary p2p port (Iguana's file format).
 */
export function devnetElectedFile(pubkey: string, port = 17775): string {
  return `${JSON.stringify({ port, BTCminsigs: 1, minsigs: 1, seeds: [], notaries: [{ dev_NN: pubkey }] }, null, 2)}\n`;
}

/**
 * What a stand-in is given beyond the real command line, so that one node alone notarises in minutes
 * on its local elected file: devchain blocks every second and the elected file's notaries recognised
 * (-devnotaries), deviguana's lone-notary floor (--devnet). The devnet's own files say so themselves.
 */
export const STAND_IN_FLAGS = {
  destination: ['-devblocktime=1'],
  komodo: ['-devblocktime=1', `-devnotaries=${HOME}/${NN}/elected.json`],
  iguana: ['--devnet', '--pollms', '300'],
} as const;

/**
 * The argv of a daemon: its filled-in words; a stand-in in place of a real image (--stand-ins) takes
 * the program's name first and its STAND_IN_FLAGS last.
 */
function argvOf(
  layout: Pick<BaseUnitsLayout, 'programFirst'>,
  d: { binary: string; image: { ref: string; standIn: string } },
  words: string[],
  extra: readonly string[],
): string[] {
  return layout.programFirst && d.image.ref !== d.image.standIn ? [d.binary, ...words, ...extra] : words;
}

/** Where a daemon's files are in its unit, and its command line filled in. */
export function daemonPaths(d: ChainDaemon, pubkey: string) {
  const datadir = `${HOME}/${d.datadir}`;
  const conf = `${datadir}/${d.conf}`;
  const cmd = d.args.map((w) =>
    fillPlaceholders(w, { pubkey, home: HOME, datadir, conf, elected: `${HOME}/${NN}/elected.json` }),
  );
  return { datadir, conf, confPath: `${d.datadir}/${d.conf}`, cmd };
}

const tokensJson = (t: { viewer: string; operator: string }) =>
  JSON.stringify({ viewer: [t.viewer], operator: [t.operator] });
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** What the three units share: name, node, network, labels, the sidecar (its config in the volume), stop grace. */
function unitFrame(
  layout: BaseUnitsLayout,
  name: string,
  role: string,
  sidecarImage: string,
  hostPort: number,
) {
  return {
    name,
    node: layout.node,
    ...(layout.network ? { network: layout.network } : {}),
    labels: { ...layout.labels, 'nn.role-in-node': role },
    sidecar: { image: sidecarImage, cmd: ['--config', `${HOME}/${NN}/sidecar.json`], hostPort },
    stopTimeoutSec: layout.stopTimeoutSec,
  };
}

export function ltcUnitSpec(layout: BaseUnitsLayout, s: NodeSecrets): UnitSpec {
  const name = unitNames(layout.prefix).ltc;
  const d = layout.daemons.destination;
  if (!d) throw new Error(`the ${layout.network ?? 'node'} layout has no destination chain`);
  const paths = daemonPaths(d, s.pubkey);
  const sidecar = {
    flavour: d.flavour,
    chain: d.chain,
    listen: `0.0.0.0:${SIDECAR_PORT}`,
    // The data dir, as KMD's: the sidecar reports wallet.dat's size from it (nnctl status, the reset).
    daemon: { conf: paths.conf, datadir: paths.datadir },
    tokensFile: `${HOME}/${NN}/tokens.json`,
    notaryPubkey: s.pubkey,
    requirePeers: false,
  } satisfies SidecarConfigInput;
  return {
    ...unitFrame(layout, name, 'destination', layout.images.chainSidecar, layout.ports.ltc),
    daemon: { image: layout.images.ltcDaemon, cmd: argvOf(layout, d, paths.cmd, STAND_IN_FLAGS.destination) },
    files: [
      {
        path: paths.confPath,
        content: `rpcuser=ltc\nrpcpassword=${s.ltc.rpcpassword}\nrpcport=${d.ports.rpc}\nport=${d.ports.p2p}\nserver=1\ntxindex=1\n`,
      },
      { path: `${NN}/sidecar.json`, content: json(sidecar) },
      { path: `${NN}/tokens.json`, content: tokensJson(s.ltc) },
    ],
  };
}

export function kmdUnitSpec(layout: BaseUnitsLayout, s: NodeSecrets): UnitSpec {
  const names = unitNames(layout.prefix);
  const d = layout.daemons.main;
  const dest = layout.daemons.destination;
  const paths = daemonPaths(d, s.pubkey);
  const sidecar = {
    flavour: d.flavour,
    chain: d.coin,
    listen: `0.0.0.0:${SIDECAR_PORT}`,
    daemon: { conf: paths.conf, datadir: paths.datadir },
    tokensFile: `${HOME}/${NN}/tokens.json`,
    notaryPubkey: s.pubkey,
    requirePeers: false,
    // KMD notarises to LTC: komodod reads the destination's conf (-notary) and calls it on 127.0.0.1.
    ...(dest
      ? {
          bridges: [
            {
              name: dest.chain,
              port: dest.ports.rpc,
              confPath: daemonPaths(dest, s.pubkey).conf,
              upstream: sidecarByName(names.ltc),
              tokenFile: `${HOME}/${NN}/ltc.token`,
            },
          ],
        }
      : {}),
  } satisfies SidecarConfigInput;
  return {
    ...unitFrame(layout, names.kmd, 'kmd', layout.images.chainSidecar, layout.ports.kmd),
    daemon: {
      image: layout.images.kmdDaemon,
      // -devnotaries reads the local elected file, which only a node with Iguana has.
      cmd: argvOf(
        layout,
        d,
        paths.cmd,
        d.flavour === 'komodo' && layout.iguanaP2pPort !== undefined
          ? STAND_IN_FLAGS.komodo
          : STAND_IN_FLAGS.destination,
      ),
    },
    ...paramsMount(layout, d),
    files: [
      {
        path: paths.confPath,
        content: `rpcuser=kmd\nrpcpassword=${s.kmd.rpcpassword}\nrpcport=${d.ports.rpc}\nport=${d.ports.p2p}\nserver=1\ntxindex=1\n`,
      },
      ...(layout.iguanaP2pPort === undefined
        ? []
        : [{ path: `${NN}/elected.json`, content: devnetElectedFile(s.pubkey, layout.iguanaP2pPort) }]),
      { path: `${NN}/sidecar.json`, content: json(sidecar) },
      { path: `${NN}/tokens.json`, content: tokensJson(s.kmd) },
      ...(dest ? [{ path: `${NN}/ltc.token`, content: `${s.ltc.viewer}\n` }] : []),
    ],
  };
}

export function iguanaUnitSpec(layout: BaseUnitsLayout, s: NodeSecrets): UnitSpec {
  const names = unitNames(layout.prefix);
  const ig = layout.daemons.iguana;
  if (!ig || layout.iguanaPort === undefined || layout.iguanaP2pPort === undefined)
    throw new Error(`the ${layout.network ?? 'node'} layout has no Iguana`);
  const where = electedOf(ig);
  const elected = `${HOME}/${where.path}`;
  const sidecar = {
    listen: `0.0.0.0:${SIDECAR_PORT}`,
    iguanaPort: layout.iguanaPort,
    electedFile: elected,
    passphraseFile: `${HOME}/${NN}/passphrase`,
    notaryPubkey: s.pubkey,
    myipaddr: '127.0.0.1',
    ...(layout.addnotary && layout.addnotary.length > 0 ? { addnotary: [...layout.addnotary] } : {}),
    home: HOME,
    tokensFile: `${HOME}/${NN}/tokens.json`,
    // Coins the orchestrator adds later survive a restart of this sidecar.
    stateFile: `${HOME}/${NN}/coins.json`,
    pollIntervalMs: 1_000,
    coins: [
      {
        kind: 'kmd',
        upstream: sidecarByName(names.kmd),
        tokenFile: `${HOME}/${NN}/kmd.token`,
        // Where the network's main daemon keeps its conf (~/.kmdclassic/kmdclassic.conf); komodod's is the default.
        ...(isKomodoHome(layout.daemons.main)
          ? {}
          : { confPath: daemonPaths(layout.daemons.main, s.pubkey).conf }),
      },
      ...(layout.daemons.destination
        ? [{ kind: 'ltc' as const, upstream: sidecarByName(names.ltc), tokenFile: `${HOME}/${NN}/ltc.token` }]
        : []),
    ],
  } satisfies IguanaSidecarConfigInput;
  return {
    ...unitFrame(layout, names.iguana, 'iguana', layout.images.iguanaSidecar, layout.ports.iguana),
    daemon: {
      image: layout.images.iguanaDaemon,
      cmd: argvOf(
        layout,
        ig,
        ig.args.map((w) =>
          fillPlaceholders(w, { pubkey: s.pubkey, home: HOME, datadir: `${HOME}/${ig.datadir}`, elected }),
        ),
        STAND_IN_FLAGS.iguana,
      ),
      env: [...ig.env],
      ...(where.workdir ? { workdir: where.workdir } : {}),
    },
    files: [
      { path: where.path, content: electedFileOf(layout, s.pubkey, layout.iguanaP2pPort) },
      { path: `${NN}/passphrase`, content: `${s.passphrase}\n` },
      { path: `${NN}/sidecar.json`, content: json(sidecar) },
      { path: `${NN}/tokens.json`, content: tokensJson(s.iguana) },
      // Iguana signs and broadcasts through its bridges: it needs the operator role.
      { path: `${NN}/kmd.token`, content: `${s.kmd.operator}\n` },
      ...(layout.daemons.destination ? [{ path: `${NN}/ltc.token`, content: `${s.ltc.operator}\n` }] : []),
    ],
  };
}

/** The zcash params volume, read-only, in a komodod-family unit of a network that has one. */
export function paramsMount(
  layout: Pick<BaseUnitsLayout, 'zcashParams'>,
  d: { flavour: string },
): Pick<UnitSpec, 'mounts'> {
  if (!layout.zcashParams || d.flavour !== 'komodo') return {};
  return {
    mounts: [
      { volume: layout.zcashParams.volume, path: `${HOME}/${layout.zcashParams.path}`, readOnly: true },
    ],
  };
}

/** The main chain keeps komodod's own data dir and conf (~/.komodo/komodo.conf), as the devnet does. */
export const isKomodoHome = (d: { datadir: string; conf: string }): boolean =>
  d.datadir === '.komodo' && d.conf === 'komodo.conf';

/**
 * Where Iguana reads its elected file: the path its command line gives (`--elected ${elected}`, the
 * devnet's stand-in), else a file of its working dir, the network's Iguana data dir (iguana/main.c:
 * `iguana notary` reads `elected`, any other first word names the file), set as the unit's working dir.
 */
export function electedOf(ig: IguanaDaemon): { readonly path: string; readonly workdir?: string } {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the network file's placeholder, literally
  if (ig.args.some((w) => w.includes('${elected}'))) return { path: `${NN}/elected.json` };
  const first = ig.args[0];
  const name = first === undefined || first === 'notary' || first.startsWith('-') ? 'elected' : first;
  return { path: `${ig.datadir}/${name}`, workdir: `${HOME}/${ig.datadir}` };
}

/** The local elected file (the devnet, the stand-ins, `notaries: local`) or the network's own list. */
function electedFileOf(
  layout: Pick<BaseUnitsLayout, 'elected' | 'programFirst'>,
  pubkey: string,
  port: number,
): string {
  const e = layout.elected;
  if (!e || e.notaries === 'local' || layout.programFirst) return devnetElectedFile(pubkey, port);
  const { source: _source, ...file } = e;
  return json(file);
}

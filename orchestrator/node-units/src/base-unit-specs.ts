import type { SidecarConfigInput } from '@nn/chain-sidecar/contract';
import type { IguanaSidecarConfigInput } from '@nn/iguana-sidecar/contract';
import type { UnitSpec } from '@nn/runtime';
import type { NodeSecrets } from './node-secrets.js';

// The notary node's own units as the Runtime deploys them: the dPoW destination chain (litecoin
// flavour), KMD and Iguana, each a daemon plus its sidecar in one namespace (see docs/architecture.md).
// Pure functions of the options and the node's secrets, so every `up` produces the same specs and the
// runtime leaves running units as they are.

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
  /** Extra daemon flags of the profile for LTC and KMD (devnet: -devblocktime=1). */
  readonly chainArgs: readonly string[];
  /** Iguana's main API port (7776) and its poll interval in the devnet stand-in. */
  readonly iguanaPort: number;
  readonly stopTimeoutSec: number;
}

export const unitNames = (prefix: string) => ({
  ltc: `${prefix}ltc`,
  kmd: `${prefix}kmd`,
  iguana: `${prefix}iguana`,
});

/** A unit's sidecar as other units on the same node reach it (its name on the cluster network). */
export const sidecarByName = (unit: string): string => `http://${unit}-sidecar:${SIDECAR_PORT}`;

/** The devnet's elected-notaries file: this node alone, one signature enough (Iguana's file format). */
export function devnetElectedFile(pubkey: string): string {
  return `${JSON.stringify({ port: 17775, BTCminsigs: 1, minsigs: 1, seeds: [], notaries: [{ dev_NN: pubkey }] }, null, 2)}\n`;
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
  const sidecar = {
    flavour: 'bitcoin',
    chain: 'LTC',
    listen: `0.0.0.0:${SIDECAR_PORT}`,
    daemon: { conf: `${HOME}/.litecoin/litecoin.conf` },
    tokensFile: `${HOME}/${NN}/tokens.json`,
    notaryPubkey: s.pubkey,
    requirePeers: false,
  } satisfies SidecarConfigInput;
  return {
    ...unitFrame(layout, name, 'destination', layout.images.chainSidecar, layout.ports.ltc),
    daemon: { image: layout.images.ltcDaemon, cmd: ['-devflavour=litecoin', ...layout.chainArgs] },
    files: [
      {
        path: '.litecoin/litecoin.conf',
        content: `rpcuser=ltc\nrpcpassword=${s.ltc.rpcpassword}\nrpcport=9332\nport=9333\nserver=1\ntxindex=1\n`,
      },
      { path: `${NN}/sidecar.json`, content: json(sidecar) },
      { path: `${NN}/tokens.json`, content: tokensJson(s.ltc) },
    ],
  };
}

export function kmdUnitSpec(layout: BaseUnitsLayout, s: NodeSecrets): UnitSpec {
  const names = unitNames(layout.prefix);
  const sidecar = {
    flavour: 'komodo',
    chain: 'KMD',
    listen: `0.0.0.0:${SIDECAR_PORT}`,
    daemon: { conf: `${HOME}/.komodo/komodo.conf`, datadir: `${HOME}/.komodo` },
    tokensFile: `${HOME}/${NN}/tokens.json`,
    notaryPubkey: s.pubkey,
    requirePeers: false,
    // KMD notarises to LTC: komodod reads the destination's conf (-notary) and calls it on 127.0.0.1.
    bridges: [
      {
        name: 'LTC',
        port: 9332,
        confPath: `${HOME}/.litecoin/litecoin.conf`,
        upstream: sidecarByName(names.ltc),
        tokenFile: `${HOME}/${NN}/ltc.token`,
      },
    ],
  } satisfies SidecarConfigInput;
  return {
    ...unitFrame(layout, names.kmd, 'kmd', layout.images.chainSidecar, layout.ports.kmd),
    daemon: {
      image: layout.images.kmdDaemon,
      cmd: [
        ...layout.chainArgs,
        `-devnotaries=${HOME}/${NN}/elected.json`,
        `-pubkey=${s.pubkey}`,
        '-notary=.litecoin/litecoin.conf',
      ],
    },
    files: [
      {
        path: '.komodo/komodo.conf',
        content: `rpcuser=kmd\nrpcpassword=${s.kmd.rpcpassword}\nrpcport=7771\nport=7770\nserver=1\ntxindex=1\n`,
      },
      { path: `${NN}/elected.json`, content: devnetElectedFile(s.pubkey) },
      { path: `${NN}/sidecar.json`, content: json(sidecar) },
      { path: `${NN}/tokens.json`, content: tokensJson(s.kmd) },
      { path: `${NN}/ltc.token`, content: `${s.ltc.viewer}\n` },
    ],
  };
}

export function iguanaUnitSpec(layout: BaseUnitsLayout, s: NodeSecrets): UnitSpec {
  const names = unitNames(layout.prefix);
  const sidecar = {
    listen: `0.0.0.0:${SIDECAR_PORT}`,
    iguanaPort: layout.iguanaPort,
    electedFile: `${HOME}/${NN}/elected.json`,
    passphraseFile: `${HOME}/${NN}/passphrase`,
    notaryPubkey: s.pubkey,
    myipaddr: '127.0.0.1',
    home: HOME,
    tokensFile: `${HOME}/${NN}/tokens.json`,
    // Coins the orchestrator adds later survive a restart of this sidecar.
    stateFile: `${HOME}/${NN}/coins.json`,
    pollIntervalMs: 1_000,
    coins: [
      { kind: 'kmd', upstream: sidecarByName(names.kmd), tokenFile: `${HOME}/${NN}/kmd.token` },
      { kind: 'ltc', upstream: sidecarByName(names.ltc), tokenFile: `${HOME}/${NN}/ltc.token` },
    ],
  } satisfies IguanaSidecarConfigInput;
  return {
    ...unitFrame(layout, names.iguana, 'iguana', layout.images.iguanaSidecar, layout.ports.iguana),
    daemon: {
      image: layout.images.iguanaDaemon,
      cmd: ['notary', '--elected', `${HOME}/${NN}/elected.json`, '--devnet', '--pollms', '300'],
      env: [`DEVIGUANA_PORT=${layout.iguanaPort}`],
    },
    files: [
      { path: `${NN}/elected.json`, content: devnetElectedFile(s.pubkey) },
      { path: `${NN}/passphrase`, content: `${s.passphrase}\n` },
      { path: `${NN}/sidecar.json`, content: json(sidecar) },
      { path: `${NN}/tokens.json`, content: tokensJson(s.iguana) },
      // Iguana signs and broadcasts through its bridges: it needs the operator role.
      { path: `${NN}/kmd.token`, content: `${s.kmd.operator}\n` },
      { path: `${NN}/ltc.token`, content: `${s.ltc.operator}\n` },
    ],
  };
}

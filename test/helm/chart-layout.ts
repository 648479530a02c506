import { fillPlaceholders } from '@nn/networks';
import {
  baseLayoutOf,
  iguanaUnitSpec,
  kmdUnitSpec,
  loadProfile,
  ltcUnitSpec,
  type NetworkProfile,
  type NodeSecrets,
  standInChainArgs,
} from '@nn/node-units';
import type { UnitSpec } from '@nn/runtime';

// The node's own units of each network as the Helm chart deploys them (deploy/helm/notary-node/networks/
// <name>.yaml), made by the same functions `nnctl up` deploys with (@nn/node-units), so the chart's
// command lines, files and ports cannot drift from the orchestrator's: the secrets, the notary pubkey and
// the unit names are markers that the chart's templates replace (templates/_helpers.tpl lists them).

/** The markers, exactly as the chart's `notary-node.fill` helper replaces them. */
export const MARKERS = {
  prefix: '@@PREFIX@@',
  pubkey: '@@PUBKEY@@',
  passphrase: '@@PASSPHRASE@@',
  secret: (unit: 'ltc' | 'kmd' | 'iguana', what: 'rpcpassword' | 'viewer' | 'operator') =>
    `@@${unit.toUpperCase()}_${what.toUpperCase()}@@`,
} as const;

/** The keys of the chart's generated node Secret (templates/node-secret.yaml), marker by marker. */
export const GENERATED_KEYS = [
  'ltc-rpcpassword',
  'ltc-viewer',
  'ltc-operator',
  'kmd-rpcpassword',
  'kmd-viewer',
  'kmd-operator',
  'iguana-viewer',
  'iguana-operator',
] as const;

/**
 * The assetchains' flags besides the entry's own and -pubkey, and whether they read the local elected
 * file: as `nnctl up` configures its workers (orchestrator/cli/src/up/run-up.ts, assetchainExtraArgs).
 */
function chainArgsOf(profile: NetworkProfile): { args: string[]; electedInUnits: boolean } {
  const own = profile.spec.assetchains.args
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the network file's placeholders, literally
    .filter((w) => w !== '${entry}' && w !== '-pubkey=${pubkey}')
    .map((w) => fillPlaceholders(w, { home: '/data', elected: '/data/nn/elected.json' }));
  const standIn = standInChainArgs(profile);
  return {
    args: [...own, ...standIn],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the network file's placeholder, literally
    electedInUnits: profile.spec.assetchains.args.some((w) => w.includes('${elected}')) || standIn.length > 0,
  };
}

function markerSecrets(): NodeSecrets {
  const pair = (unit: 'ltc' | 'kmd' | 'iguana') => ({
    viewer: MARKERS.secret(unit, 'viewer'),
    operator: MARKERS.secret(unit, 'operator'),
    viewerFile: `/unused/${unit}.viewer`,
    operatorFile: `/unused/${unit}.operator`,
  });
  return {
    dir: '/unused',
    passphrase: MARKERS.passphrase,
    passphraseFile: '/unused/passphrase',
    pubkey: MARKERS.pubkey,
    address: '',
    wif: '',
    wifFile: '/unused/wif',
    ltc: { ...pair('ltc'), rpcpassword: MARKERS.secret('ltc', 'rpcpassword') },
    kmd: { ...pair('kmd'), rpcpassword: MARKERS.secret('kmd', 'rpcpassword') },
    iguana: pair('iguana'),
  };
}

export interface ChartFile {
  readonly path: string;
  /** The file's text with markers; absent for the passphrase, which comes from the notary Secret. */
  readonly content?: string;
  readonly fromNotarySecret?: 'passphrase';
}

export interface ChartUnit {
  /** The unit's name is `<prefix><suffix>`. */
  readonly suffix: 'ltc' | 'kmd' | 'iguana';
  readonly role: string;
  readonly chain: string;
  readonly image: string;
  readonly sidecar: 'chain' | 'iguana';
  readonly sidecarArgs: readonly string[];
  readonly args: readonly string[];
  readonly env: ReadonlyArray<{ name: string; value: string }>;
  readonly workdir?: string;
  /** p2p ports the unit publishes (never RPC). */
  readonly p2pPorts: readonly number[];
  /** The read-only zcash params mount (absent: none). */
  readonly zcashParamsPath?: string;
  /**
   * The daemon image's program that fetches and checks the zcash params (images/real: `<daemon minus
   * its d>-fetch-params`, upstream zcutil/fetch-params.sh); the main chain's unit runs it first. Absent
   * with the stand-ins, which need none.
   */
  readonly fetchParams?: string;
  /** Units whose sidecars this one's bridges call (their NetworkPolicies admit it). */
  readonly bridgesTo: readonly string[];
  readonly files: readonly ChartFile[];
}

export interface ChartNetwork {
  readonly network: string;
  readonly description: string;
  /** The operator must name the notary key (node.key "operator", real images), else the chart's devnet key may do. */
  readonly operatorKey: boolean;
  readonly stopTimeoutSec: number;
  readonly iguanaApiPort: number | null;
  readonly destination: string | null;
  readonly units: readonly ChartUnit[];
  /** The orchestrator's jobs settings the network decides (orchestrator/jobs config), markers filled. */
  readonly jobs: Readonly<Record<string, unknown>>;
}

function toUnit(
  spec: UnitSpec,
  suffix: ChartUnit['suffix'],
  chain: string,
  p2pPorts: readonly number[],
  bridgesTo: readonly string[],
): ChartUnit {
  const env = (spec.daemon.env ?? []).map((e) => {
    const at = e.indexOf('=');
    return { name: e.slice(0, at), value: e.slice(at + 1) };
  });
  const params = spec.mounts?.[0];
  return {
    suffix,
    role: spec.labels?.['nn.role-in-node'] ?? suffix,
    chain,
    image: spec.daemon.image,
    sidecar: suffix === 'iguana' ? 'iguana' : 'chain',
    sidecarArgs: spec.sidecar.cmd ?? [],
    args: spec.daemon.cmd ?? [],
    env,
    ...(spec.daemon.workdir ? { workdir: spec.daemon.workdir } : {}),
    p2pPorts,
    ...(params ? { zcashParamsPath: params.path } : {}),
    bridgesTo,
    files: (spec.files ?? []).map((f) =>
      f.content === `${MARKERS.passphrase}\n`
        ? { path: f.path, fromNotarySecret: 'passphrase' as const }
        : { path: f.path, content: String(f.content) },
    ),
  };
}

/** The chart's layout of one network, with or without the stand-ins in place of the real images. */
export function chartLayout(profile: NetworkProfile): ChartNetwork {
  const layout = {
    ...baseLayoutOf(profile, MARKERS.prefix),
    prefix: MARKERS.prefix,
    node: 'unused',
    network: profile.network,
    ports: { ltc: 1, kmd: 2, iguana: 3 },
    stopTimeoutSec: profile.stopTimeoutSec,
  };
  const s = markerSecrets();
  const chainArgs = chainArgsOf(profile);
  const { destination, main, iguana } = layout.daemons;
  const units: ChartUnit[] = [];
  if (destination)
    units.push(toUnit(ltcUnitSpec(layout, s), 'ltc', destination.chain, destination.publish, []));
  const kmd = toUnit(kmdUnitSpec(layout, s), 'kmd', main.chain, main.publish, destination ? ['ltc'] : []);
  const fetch =
    kmd.zcashParamsPath && !profile.standIns ? `${main.binary.replace(/d$/, '')}-fetch-params` : null;
  units.push(fetch ? { ...kmd, fetchParams: fetch } : kmd);
  if (iguana && layout.iguanaP2pPort !== undefined)
    units.push(
      toUnit(
        iguanaUnitSpec(layout, s),
        'iguana',
        'iguana',
        [layout.iguanaP2pPort],
        destination ? ['kmd', 'ltc'] : ['kmd'],
      ),
    );
  return {
    network: profile.network,
    description: profile.spec.description,
    operatorKey: !profile.generatedKey,
    stopTimeoutSec: profile.stopTimeoutSec,
    iguanaApiPort: layout.daemons.iguana ? (profile.iguanaPort ?? null) : null,
    destination: profile.destination,
    units,
    jobs: {
      useSeedNodes: profile.useSeedNodes,
      requirePeers: profile.requirePeers,
      daemonExtraArgs: chainArgs.args,
      // The chain units get the main chain unit's local elected file (nn/elected.json) copied in.
      electedInUnits: chainArgs.electedInUnits,
      ...(main.datadir === '.komodo' && main.conf === 'komodo.conf'
        ? {}
        : { kmd: { datadir: main.datadir, conf: main.conf } }),
      ...(layout.chainProgram || layout.zcashParams
        ? {
            chainUnits: {
              ...(layout.chainProgram ? { program: layout.chainProgram } : {}),
              ...(layout.zcashParams
                ? {
                    zcashParams: {
                      volume: layout.zcashParams.volume,
                      path: `/data/${layout.zcashParams.path}`,
                    },
                  }
                : {}),
            },
          }
        : {}),
    },
  };
}

/** What networks/<name>.yaml holds: the network's real daemons, and the same node on the stand-ins. */
export function chartNetworkFile(name: string): { real: ChartNetwork; standIns: ChartNetwork } {
  return {
    real: chartLayout(loadProfile(name, { standIns: false })),
    standIns: chartLayout(loadProfile(name, { standIns: true })),
  };
}

export const SHIPPED_NETWORKS = ['devnet', 'kmdclassic', 'komodo', 'testnet-2024'] as const;

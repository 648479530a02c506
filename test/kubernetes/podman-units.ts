import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BaseUnitsLayout,
  devnetElectedFile,
  devnetProfile,
  iguanaUnitSpec,
  kmdUnitSpec,
  loadNodeSecrets,
  ltcUnitSpec,
  type NodeSecrets,
  sidecarByName,
  unitNames,
} from '@nn/node-units';
import { buildChainSpec, type Placement } from '@nn/orchestrator-core';
import { chainUnitFiles, chainUnitSpec, parseJobsConfig, SecretStore } from '@nn/orchestrator-jobs';
import type { UnitSpec } from '@nn/runtime';
import { freePorts } from '@nn/testkit';

// The unit specs of a devnet notary node exactly as the orchestrator makes them: the node's own units
// (LTC, KMD, Iguana) as `nnctl up --network devnet` builds them (@nn/node-units, networks/devnet.json),
// and an assetchain's unit as the add-chain job does (chainUnitSpec, then the secrets step's files),
// with the jobs config `nnctl up` writes for that network. Only names, node and ports are the test's.

export interface DevnetUnits {
  readonly secrets: NodeSecrets;
  readonly ltc: UnitSpec;
  readonly kmd: UnitSpec;
  readonly iguana: UnitSpec;
  /** The first assetchain of networks/devnet.json. */
  readonly chain: UnitSpec;
  readonly chainId: string;
}

/** `node` is the Kubernetes node the units prefer; `prefix` starts every unit name. */
export async function devnetUnits(prefix: string, node: string, dir: string): Promise<DevnetUnits> {
  const profile = devnetProfile();
  const secrets = loadNodeSecrets(join(dir, 'secrets'));
  const ports = await freePorts('ltc', 'kmd', 'iguana', 'chainApi', 'chainP2p');
  const ig = profile.spec.iguana;
  const layout: BaseUnitsLayout = {
    prefix,
    node,
    ports: { ltc: ports.ltc, kmd: ports.kmd, iguana: ports.iguana },
    images: profile.images,
    daemons: profile.daemons,
    ...(ig
      ? { iguanaPort: ig.api, iguanaP2pPort: ig.p2p, addnotary: ig.addnotary, elected: ig.elected }
      : {}),
    programFirst: profile.standIns,
    labels: { 'nn.instance': prefix.replace(/-+$/, '') },
    stopTimeoutSec: profile.stopTimeoutSec,
  };
  const names = unitNames(prefix);
  // What `nnctl up` writes for the devnet's jobs: the assetchains' own flags from the network file
  // (its ${elected} is the unit's copy of the local elected file), KMD's bridge to KMD's sidecar by
  // name (the headless Service `<unit>-sidecar`), the notary key.
  const electedFile = join(dir, 'elected.json');
  writeFileSync(electedFile, devnetElectedFile(secrets.pubkey, ig?.p2p), { mode: 0o600 });
  const chainArgs = profile.spec.assetchains.args
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the network file's placeholders, literally
    .filter((w) => w !== '${entry}' && w !== '-pubkey=${pubkey}')
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the network file's placeholder, literally
    .map((w) => w.replace('${elected}', '/data/nn/elected.json'));
  const jobs = parseJobsConfig({
    secretsDir: join(dir, 'secrets'),
    instance: layout.labels?.['nn.instance'],
    unitPrefix: prefix,
    sidecarImage: profile.images.chainSidecar,
    useSeedNodes: profile.useSeedNodes,
    requirePeers: profile.requirePeers,
    daemonExtraArgs: chainArgs,
    unitFiles: [{ path: 'nn/elected.json', source: electedFile }],
    stopTimeoutSec: profile.stopTimeoutSec,
    // In a cluster the Service name reaches KMD's sidecar from every node: no per-node URL.
    kmd: { sidecarUrl: sidecarByName(names.kmd), viewerTokenFile: secrets.kmd.viewerFile },
    notary: { pubkey: secrets.pubkey, wifFile: secrets.wifFile },
  });
  const entry = profile.chains[0];
  if (!entry) throw new Error('networks/devnet.json has no assetchain');
  const spec = buildChainSpec({ entry }, { image: profile.chainImage });
  const placement = {
    node,
    p2pPort: ports.chainP2p,
    sidecarPort: ports.chainApi,
    memoryBytes: spec.resources.memoryBytes,
    diskBytes: spec.resources.diskBytes,
    placedAt: new Date().toISOString(),
  } as Placement;
  const chainSecrets = new SecretStore(join(dir, 'secrets')).chain(spec.id, spec.identity.acName);
  const chain = chainUnitSpec(spec, placement, jobs);
  const files = [
    ...chainUnitFiles(spec, jobs, chainSecrets, secrets.kmd.viewer, node),
    { path: 'nn/elected.json', content: devnetElectedFile(secrets.pubkey, ig?.p2p), mode: 0o600 },
  ];
  return {
    secrets,
    ltc: ltcUnitSpec(layout, secrets),
    kmd: kmdUnitSpec(layout, secrets),
    iguana: iguanaUnitSpec(layout, secrets),
    chain: { ...chain, files },
    chainId: spec.id,
  };
}

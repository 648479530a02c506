import { entryToArgs } from '@nn/komodo-params';
import type { ChainEntry, ChainSpec, Placement } from '@nn/orchestrator-core';
import type { UnitSpec } from '@nn/runtime';
import type { JobsConfig } from '../config.js';
import { unitNameOf } from './unit-name.js';
import { SIDECAR_API_PORT } from './unit-paths.js';

/** Labels every unit of this orchestrator carries (besides the runtime's ownership labels). */
export const LABEL_CHAIN = 'nn.chain';
export const LABEL_INSTANCE = 'nn.instance';

/**
 * The unit of a chain: its sidecar (owning the namespace, publishing the API and the p2p port) and the
 * daemon started with the entry's flags. Deterministic for a given chain, placement and image, so every
 * re-run produces the same spec (the runtime replaces containers only when the spec changes). No secret
 * is in it: conf files and tokens are put into the volume by the secrets step.
 */
export function chainUnitSpec(
  spec: ChainSpec,
  placement: Placement,
  config: JobsConfig,
  image: string = spec.image,
): UnitSpec {
  const entry = config.useSeedNodes ? spec.entry : withoutSeeds(spec.entry);
  const args = entryToArgs(entry, {
    home: config.home,
    ...(config.notary ? { pubkey: config.notary.pubkey } : {}),
  });
  // A stand-in image takes the real program's name first (devchain `kmdclassicd -ac_name=PIRATE ...`).
  const program = config.chainUnits?.program ? [config.chainUnits.program] : [];
  const params = config.chainUnits?.zcashParams;
  return {
    name: unitNameOf(config.unitPrefix, spec.id),
    node: placement.node,
    labels: { ...config.chainUnits?.labels, [LABEL_CHAIN]: spec.id, [LABEL_INSTANCE]: config.instance },
    sidecar: {
      image: config.sidecarImage,
      cmd: ['--config', `${config.home.replace(/\/+$/, '')}/nn/sidecar.json`],
      port: SIDECAR_API_PORT,
      hostPort: placement.sidecarPort,
    },
    daemon: { image, cmd: [...program, ...args, ...config.daemonExtraArgs] },
    ports: [{ container: spec.ports.p2p, host: placement.p2pPort }],
    volume: { mountPath: config.home },
    ...(params ? { mounts: [{ volume: params.volume, path: params.path, readOnly: true }] } : {}),
    stopTimeoutSec: config.stopTimeoutSec,
    memoryBytes: spec.resources.memoryBytes,
    restart: 'unless-stopped',
  };
}

/** The entry without its `addnode` seeds (the chain's identity does not depend on them). */
function withoutSeeds(entry: ChainEntry): ChainEntry {
  const { addnode: _seeds, ...rest } = entry;
  return rest;
}

import { confFilePath, parentKomodoConfPath } from '@nn/komodo-params';
import type { ChainSpec } from '@nn/orchestrator-core';

// Where things sit inside a chain unit's data volume. The volume is the daemon's HOME (/data in the
// project's images), so a dPoW datadir `${HOME}/.komodo/NAME` maps to `/data/.komodo/NAME` in both
// containers, and the sidecar reads the conf the daemon reads.

/** The literal `${HOME}` of dPoW paths (built so no linter takes it for a template). */
const HOME_VAR = ['$', '{HOME}'].join('');

export const SIDECAR_API_PORT = 8080;

export interface UnitPaths {
  /** The daemon's data dir, `${HOME}` expanded. */
  readonly datadir: string;
  /** NAME.conf inside it (GLEEC with datadir GLEEC_OLD: .../GLEEC_OLD/GLEEC.conf). */
  readonly conf: string;
  /** The parent komodo.conf the assetchain reads for KMD (written by the sidecar's KMD bridge). */
  readonly parentConf: string;
  readonly sidecarConfig: string;
  readonly tokensFile: string;
  /** The token the KMD bridge presents to KMD's sidecar. */
  readonly kmdTokenFile: string;
}

export function unitPaths(spec: ChainSpec, home: string): UnitPaths {
  const datadir = spec.identity.datadir.replace(HOME_VAR, home);
  const root = home.replace(/\/+$/, '');
  return {
    datadir,
    conf: confFilePath({ home, acName: spec.identity.acName, datadir }),
    parentConf: parentKomodoConfPath(datadir),
    sidecarConfig: `${root}/nn/sidecar.json`,
    tokensFile: `${root}/nn/tokens.json`,
    kmdTokenFile: `${root}/nn/kmd.token`,
  };
}

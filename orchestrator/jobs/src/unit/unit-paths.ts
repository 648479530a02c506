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

/** The main chain's data dir and conf (JobsConfig.kmd's): komodod's by default, kmdclassicd's .kmdclassic. */
export interface MainChainDir {
  readonly datadir?: string | undefined;
  readonly conf?: string | undefined;
}

export function unitPaths(spec: ChainSpec, home: string, main: MainChainDir = {}): UnitPaths {
  const datadir = assetchainDatadir(spec, main).replace(HOME_VAR, home);
  const root = home.replace(/\/+$/, '');
  const parentDefault = parentKomodoConfPath(datadir);
  return {
    datadir,
    conf: confFilePath({ home, acName: spec.identity.acName, datadir }),
    parentConf: main.conf
      ? `${parentDefault.slice(0, parentDefault.lastIndexOf('/') + 1)}${main.conf}`
      : parentDefault,
    sidecarConfig: `${root}/nn/sidecar.json`,
    tokensFile: `${root}/nn/tokens.json`,
    kmdTokenFile: `${root}/nn/kmd.token`,
  };
}

/**
 * The assetchain's data dir with `${HOME}` unexpanded: an entry without a data dir of its own lives
 * under the network's main chain's (`${HOME}/.kmdclassic/PIRATE` for kmdclassicd, which reads no
 * -datadir); one with its own (GLEEC_OLD) keeps it, as the daemon is given it.
 */
function assetchainDatadir(spec: ChainSpec, main: MainChainDir): string {
  const own = spec.entry.datadir !== undefined;
  const komodo = `${HOME_VAR}/.komodo/`;
  if (own || !main.datadir || !spec.identity.datadir.startsWith(komodo)) return spec.identity.datadir;
  return `${HOME_VAR}/${main.datadir}/${spec.identity.datadir.slice(komodo.length)}`;
}

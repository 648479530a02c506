import type { SidecarConfigInput } from '@nn/chain-sidecar/contract';
import { renderAssetchainConf } from '@nn/komodo-params';
import type { ChainSpec } from '@nn/orchestrator-core';
import type { UnitFile } from '@nn/runtime';
import type { JobsConfig } from '../config.js';
import type { ChainSecrets } from '../secrets/secret-store.js';
import { SIDECAR_API_PORT, unitPaths } from './unit-paths.js';

/**
 * The files a chain unit needs before it starts, all mode 0600:
 * - NAME.conf with the generated RPC credentials. komodod writes it on an assetchain's first start only
 *   when it is missing, in this exact form; writing it first keeps the password ours (stored 0600 on
 *   the orchestrator) so a redeployed unit on a fresh volume gets the same credentials;
 * - the sidecar's config and its tokens; the KMD bridge's token when KMD is configured (KMD's sidecar
 *   by name on its own node, at its published endpoint from other nodes).
 */
export function chainUnitFiles(
  spec: ChainSpec,
  config: JobsConfig,
  secrets: ChainSecrets,
  kmdViewerToken: string | undefined,
  node: string,
): UnitFile[] {
  const paths = unitPaths(spec, config.home, config.kmd ?? {});
  const kmd = config.kmd;
  const bridges =
    kmd && kmdViewerToken !== undefined
      ? [
          {
            name: 'KMD',
            port: kmd.rpcPort,
            confPath: paths.parentConf,
            confExtra: {},
            // Another node reaches KMD's sidecar only at its published port (names are per engine).
            upstream:
              kmd.node !== undefined && kmd.node !== node && kmd.remoteUrl ? kmd.remoteUrl : kmd.sidecarUrl,
            tokenFile: paths.kmdTokenFile,
          },
        ]
      : [];
  const sidecarConfig = {
    flavour: 'komodo',
    chain: spec.identity.acName,
    listen: `0.0.0.0:${SIDECAR_API_PORT}`,
    daemon: { conf: paths.conf, datadir: paths.datadir, defaultPort: spec.ports.rpc },
    tokensFile: paths.tokensFile,
    ...(config.notary ? { notaryPubkey: config.notary.pubkey } : {}),
    bridges,
    requirePeers: config.requirePeers,
    stopTimeoutSec: config.stopTimeoutSec,
  } satisfies SidecarConfigInput;
  const files: UnitFile[] = [
    {
      path: paths.conf,
      content: renderAssetchainConf({
        rpcuser: secrets.rpcuser,
        rpcpassword: secrets.rpcpassword,
        rpcport: spec.ports.rpc,
      }),
    },
    { path: paths.sidecarConfig, content: `${JSON.stringify(sidecarConfig, null, 2)}\n` },
    {
      path: paths.tokensFile,
      content: JSON.stringify({ viewer: [secrets.viewerToken], operator: [secrets.operatorToken] }),
    },
  ];
  if (bridges.length > 0) files.push({ path: paths.kmdTokenFile, content: `${kmdViewerToken}\n` });
  // Paths relative to the volume's root: the runtime's file helper mounts the volume elsewhere.
  return files.map((f) => ({ ...f, path: inVolume(f.path, config.home), mode: 0o600 }));
}

/** `/data/.komodo/CCL/CCL.conf` → `.komodo/CCL/CCL.conf` for a volume mounted at `/data`. */
export function inVolume(path: string, home: string): string {
  const root = `${home.replace(/\/+$/, '')}/`;
  if (!path.startsWith(root)) throw new Error(`${path} is not inside the unit's volume (${root})`);
  return path.slice(root.length);
}

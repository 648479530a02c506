import { NetworkFileError } from '@nn/networks';
import { loadProfile, type NetworkProfile } from '@nn/node-units';
import { CliError, EXIT } from '../io.js';

/** `nnctl up`'s options, checked before anything is made. */
export interface UpOptions {
  /** The network's name (its file's `name`). */
  readonly network: string;
  /** The network file, read and checked, with --stand-ins applied. */
  readonly profile: NetworkProfile;
  /** Names the node's home dir, units (`<name>-kmd`, `<name>-c-<chain>`), state and queue keys. */
  readonly name: string;
  readonly redis: string | undefined;
  readonly redisPort: number;
  /** The API listens on 127.0.0.1:<apiPort>; LTC, KMD and Iguana sidecars on the next three ports. */
  readonly apiPort: number;
  readonly sidecarPorts: { readonly from: number; readonly to: number };
  /** The orchestrator as a host process under a systemd unit (install-service.ts) instead of a container. */
  readonly installService: boolean;
}

const port = (flag: string, value: string, min = 1024) => {
  if (!/^\d{1,5}$/.test(value) || Number(value) < min || Number(value) > 65535)
    throw new CliError(`${flag} ${value}: must be a port number ${min}-65535`, EXIT.usage);
  return Number(value);
};

/** `--network NAME|PATH`: a shipped network or the operator's own file; a bad file is a usage error. */
function profileOf(network: string, standIns: boolean, cwd: string | undefined): NetworkProfile {
  try {
    return loadProfile(network, { standIns, ...(cwd === undefined ? {} : { cwd }) });
  } catch (err) {
    if (err instanceof NetworkFileError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

export function parseUpOptions(
  raw: {
    network?: string;
    standIns?: boolean;
    name?: string;
    redis?: string;
    redisPort?: string;
    apiPort?: string;
    sidecarPorts?: string;
    installService?: boolean;
  },
  cwd?: string,
): UpOptions {
  const profile = profileOf(raw.network ?? 'devnet', raw.standIns === true, cwd);
  // The default name is the network's, cut to what unit names allow (testnet-2024 → testnet2024).
  const name = raw.name ?? profile.network.replace(/[^a-z0-9]/g, '').slice(0, 12);
  if (!/^[a-z][a-z0-9]{0,11}$/.test(name))
    throw new CliError(`--name ${name}: must be 1-12 of a-z 0-9, starting with a letter`, EXIT.usage);
  if (raw.redis !== undefined && !/^rediss?:\/\/[^\s]+$/.test(raw.redis))
    throw new CliError(`--redis ${raw.redis}: must be a redis:// URL`, EXIT.usage);
  const apiPort = port('--api-port', raw.apiPort ?? '7780');
  if (apiPort + 3 > 59_999)
    throw new CliError(`--api-port ${apiPort}: must leave 3 ports below 60000`, EXIT.usage);
  const range = /^(\d{1,5})-(\d{1,5})$/.exec(raw.sidecarPorts ?? '61000-61199');
  const from = range ? port('--sidecar-ports', range[1] ?? '', 60_000) : NaN;
  const to = range ? port('--sidecar-ports', range[2] ?? '', 60_000) : NaN;
  if (!range || from > to)
    throw new CliError(`--sidecar-ports ${raw.sidecarPorts}: must be FROM-TO within 60000-65535`, EXIT.usage);
  return {
    network: profile.network,
    profile,
    name,
    redis: raw.redis,
    redisPort: port('--redis-port', raw.redisPort ?? '6379'),
    apiPort,
    sidecarPorts: { from, to },
    installService: raw.installService === true,
  };
}

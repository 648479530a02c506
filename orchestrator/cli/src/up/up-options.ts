import { NETWORKS, type NetworkName } from '@nn/node-units';
import { CliError, EXIT } from '../io.js';

/** `nnctl up`'s options, checked before anything is made. */
export interface UpOptions {
  readonly network: NetworkName;
  /** Names the node's home dir, units (`<name>-kmd`, `<name>-c-<chain>`), state and queue keys. */
  readonly name: string;
  readonly redis: string | undefined;
  readonly redisPort: number;
  /** The API listens on 127.0.0.1:<apiPort>; LTC, KMD and Iguana sidecars on the next three ports. */
  readonly apiPort: number;
  readonly sidecarPorts: { readonly from: number; readonly to: number };
}

const port = (flag: string, value: string, min = 1024) => {
  if (!/^\d{1,5}$/.test(value) || Number(value) < min || Number(value) > 65535)
    throw new CliError(`${flag} ${value}: must be a port number ${min}-65535`, EXIT.usage);
  return Number(value);
};

export function parseUpOptions(raw: {
  network?: string;
  name?: string;
  redis?: string;
  redisPort?: string;
  apiPort?: string;
  sidecarPorts?: string;
}): UpOptions {
  const network = raw.network ?? 'devnet';
  if (!(NETWORKS as readonly string[]).includes(network))
    throw new CliError(`--network ${network}: must be one of ${NETWORKS.join(', ')}`, EXIT.usage);
  const name = raw.name ?? network;
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
    network: network as NetworkName,
    name,
    redis: raw.redis,
    redisPort: port('--redis-port', raw.redisPort ?? '6379'),
    apiPort,
    sidecarPorts: { from, to },
  };
}

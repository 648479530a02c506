import type { ParsedKomodoArgs } from '@nn/komodo-params';
import { AllowList } from '../rpc/allowip.js';
import { type ConfValues, confInt } from './conf-file.js';
import type { DevchainConfig } from './config.js';
import { DevchainConfigError } from './config-error.js';

/** The RPC server's credentials, allowlist and bind addresses, from the flags and the conf. */
export function rpcSettings(
  o: ParsedKomodoArgs['options'],
  conf: ConfValues,
  rpcPort: number,
): DevchainConfig['rpc'] {
  const allowIps = [...(conf?.get('rpcallowip') ?? []), ...(o.rpcallowip ?? [])];
  // komodod refuses to start on a bad entry (InitHTTPAllowList); check it here, before anything is written.
  try {
    new AllowList(allowIps);
  } catch (err) {
    throw new DevchainConfigError(err instanceof Error ? err.message : String(err));
  }
  const rpcBinds = [...(conf?.get('rpcbind') ?? []), ...(o.rpcbind ?? [])];
  // komodod's HTTPBindAddresses: loopback only without -rpcallowip; the given binds with both;
  // every interface with -rpcallowip alone.
  const binds =
    allowIps.length === 0
      ? [{ host: '127.0.0.1', port: rpcPort }]
      : rpcBinds.length > 0
        ? rpcBinds.map((b) => splitBind(b, rpcPort))
        : [{ host: '0.0.0.0', port: rpcPort }];
  return {
    user: o.rpcuser ?? conf?.get('rpcuser')?.[0] ?? '',
    password: o.rpcpassword ?? conf?.get('rpcpassword')?.[0] ?? '',
    allowIps,
    binds,
    workQueue: o.rpcworkqueue ?? confInt(conf, 'rpcworkqueue') ?? 16,
  };
}

/** komodod's SplitHostPort: `host`, `host:port`, `[v6]`, `[v6]:port`; a bare IPv6 address has no port. */
function splitBind(bind: string, port: number): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(bind);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] ? Number(bracketed[2]) : port };
  const hostPort = /^([^:]*):(\d+)$/.exec(bind);
  if (hostPort) return { host: hostPort[1] as string, port: Number(hostPort[2]) };
  return { host: bind, port };
}

import { readFileSync, statSync } from 'node:fs';
import { parseConf } from '@nn/komodo-params';
import { readSecretFile } from '@nn/shared';
import type { SidecarConfig } from '../config.js';

export interface DaemonEndpoint {
  /** http://127.0.0.1:<rpcport>/ inside the unit, or the explicit URL. */
  readonly url: string;
  readonly user: string;
  readonly password: string;
}

export class DaemonConfMissing extends Error {}

/**
 * Finds the daemon's RPC the way komodo-cli does: rpcuser, rpcpassword and rpcport from its conf
 * file. The conf is re-read when it changes, because an assetchain writes its own NAME.conf on first
 * start, possibly after the sidecar came up.
 */
export class DaemonCredentials {
  private cached: { mtimeMs: number; endpoint: DaemonEndpoint } | undefined;

  constructor(private readonly daemon: SidecarConfig['daemon']) {}

  current(): DaemonEndpoint {
    const d = this.daemon;
    if (!d.conf) {
      return { url: d.url as string, user: d.user as string, password: readSecretFile(d.passwordFile as string, { allowGroupReadable: true }) };
    }
    let mtimeMs: number;
    try {
      mtimeMs = statSync(d.conf).mtimeMs;
    } catch {
      throw new DaemonConfMissing(`daemon conf ${d.conf} does not exist yet`);
    }
    if (this.cached?.mtimeMs === mtimeMs) return this.cached.endpoint;
    const conf = parseConf(readFileSync(d.conf, 'utf8'));
    const port = Number(conf.get('rpcport')?.[0] ?? d.defaultPort ?? 0);
    const user = conf.get('rpcuser')?.[0];
    const password = conf.get('rpcpassword')?.[0];
    if (!user || !password || !port) throw new DaemonConfMissing(`daemon conf ${d.conf} lacks rpcuser, rpcpassword or rpcport`);
    const endpoint = { url: d.url ?? `http://127.0.0.1:${port}/`, user, password };
    this.cached = { mtimeMs, endpoint };
    return endpoint;
  }
}

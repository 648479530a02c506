import { readFileSync, statSync } from 'node:fs';
import { parseConf } from '@nn/komodo-params';
import { readSecretFile } from '@nn/shared';
import type { SidecarConfig } from '../contract/index.js';

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
  private cached: { ctimeMs: number; endpoint: DaemonEndpoint } | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;

  /**
   * @param recheckMs how long a read endpoint is used before the file's mtime is looked at again:
   *   the RPC pass-through calls this per request, and a stat per call showed in its profile.
   */
  constructor(
    private readonly daemon: SidecarConfig['daemon'],
    private readonly recheckMs = 1_000,
  ) {}

  current(): DaemonEndpoint {
    const now = performance.now();
    if (this.cached && now - this.checkedAt < this.recheckMs) return this.cached.endpoint;
    const d = this.daemon;
    const file = d.conf ?? (d.passwordFile as string);
    let ctimeMs: number;
    try {
      ctimeMs = statSync(file).ctimeMs;
    } catch {
      this.cached = undefined;
      if (!d.conf) throw new DaemonConfMissing(`daemon password file ${file} is missing`);
      throw new DaemonConfMissing(`daemon conf ${file} does not exist yet`);
    }
    if (this.cached?.ctimeMs !== ctimeMs) this.cached = { ctimeMs, endpoint: this.read() };
    this.checkedAt = now;
    return this.cached.endpoint;
  }

  private read(): DaemonEndpoint {
    const d = this.daemon;
    if (!d.conf) {
      return {
        url: d.url as string,
        user: d.user as string,
        password: readSecretFile(d.passwordFile as string, { allowGroupReadable: true }),
      };
    }
    const conf = parseConf(readFileSync(d.conf, 'utf8'));
    const port = Number(conf.get('rpcport')?.[0] ?? d.defaultPort ?? 0);
    const user = conf.get('rpcuser')?.[0];
    const password = conf.get('rpcpassword')?.[0];
    if (!user || !password || !port)
      throw new DaemonConfMissing(`daemon conf ${d.conf} lacks rpcuser, rpcpassword or rpcport`);
    return { url: d.url ?? `http://127.0.0.1:${port}/`, user, password };
  }
}

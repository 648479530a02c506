import { chainStatusSchema, SIDECAR_ROUTES } from '@nn/chain-sidecar/contract';
import { readSecretFile } from '@nn/shared';
import type { z } from 'zod';

/** A call to a coin's chain sidecar failed: unreachable, refused, or the daemon's RPC error. */
export class ChainSidecarError extends Error {
  constructor(
    readonly coin: string,
    message: string,
    /** The JSON-RPC error code when the daemon or the sidecar answered with one. */
    readonly code?: number,
  ) {
    super(`${coin} chain sidecar: ${message}`);
    this.name = 'ChainSidecarError';
  }
}

/** The fields of the chain sidecar's /v1/status this sidecar reads, as the chain sidecar's contract has them. */
const chainStatusView = chainStatusSchema.pick({
  rpc: true,
  blocks: true,
  notarized: true,
  notaryUtxos: true,
});
export type ChainStatusView = Readonly<z.infer<typeof chainStatusView>>;

/**
 * Client of one coin's chain sidecar (@nn/chain-sidecar's API) with the coin's bearer token, re-read
 * from its file on every call so a rotated token applies at once. Used for what the sidecar itself
 * does on a daemon (unlocking UTXOs, status); Iguana's own calls go through the loopback bridge.
 */
export class ChainSidecarClient {
  private readonly base: string;

  constructor(
    readonly coin: string,
    upstream: string,
    private readonly tokenFile: string,
    private readonly timeoutMs = 15_000,
  ) {
    this.base = upstream.replace(/\/+$/, '');
  }

  private headers(): Record<string, string> {
    let token: string;
    try {
      token = readSecretFile(this.tokenFile);
    } catch (err) {
      throw new ChainSidecarError(this.coin, err instanceof Error ? err.message : 'token file unreadable');
    }
    return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  }

  private async fetchJson(
    path: string,
    init: { method: string; body?: string },
    what: string,
  ): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        ...init,
        headers: this.headers(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      if (err instanceof ChainSidecarError) throw err;
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new ChainSidecarError(
        this.coin,
        `${what}: unreachable (${cause ?? (err instanceof Error ? err.name : 'error')})`,
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ChainSidecarError(this.coin, `${what}: HTTP ${res.status}, reply is not JSON`);
    }
    if (res.status === 401 || res.status === 403) {
      const msg = (json as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`;
      throw new ChainSidecarError(this.coin, `${what}: ${msg}`, res.status === 401 ? -32001 : -32003);
    }
    return json;
  }

  /** One JSON-RPC call through the sidecar's gateway; the result, or throws with the RPC error. */
  async rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const reply = (await this.fetchJson(
      SIDECAR_ROUTES.rpc.path,
      { method: 'POST', body: JSON.stringify({ method, params, id: method }) },
      method,
    )) as { result?: unknown; error?: { code?: number; message?: string } | null };
    if (reply.error) {
      throw new ChainSidecarError(
        this.coin,
        `${method}: ${reply.error.message ?? 'error'}`,
        reply.error.code,
      );
    }
    return reply.result as T;
  }

  async status(): Promise<ChainStatusView> {
    const s = chainStatusView.safeParse(
      await this.fetchJson(SIDECAR_ROUTES.status.path, { method: 'GET' }, 'status'),
    );
    if (!s.success) {
      const issue = s.error.issues[0];
      throw new ChainSidecarError(
        this.coin,
        `status: ${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    return s.data;
  }

  /**
   * Releases every UTXO locked in the daemon's wallet (listlockunspent → lockunspent true <list>), as the
   * dPoW start scripts do before Iguana starts: locks live in the daemon's memory and a killed Iguana
   * never unlocks what it locked mid-round. Returns how many were unlocked.
   */
  async unlockAll(): Promise<number> {
    const locked = await this.rpc<Array<{ txid: string; vout: number }>>('listlockunspent');
    if (!Array.isArray(locked) || locked.length === 0) return 0;
    const list = locked.map((o) => ({ txid: o.txid, vout: o.vout }));
    await this.rpc('lockunspent', [true, list]);
    return list.length;
  }
}

import { SIDECAR_ROUTES } from '@nn/chain-sidecar';
import { PermanentError, TransientError } from '@nn/orchestrator-core';
import { errorText, requestJson } from './http.js';

/** A chain sidecar's API as the orchestrator uses it: readiness and the operator's RPC pass-through. */
export class SidecarClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  /** GET /readyz: ready, or why not (503 while the daemon starts, warms up with -28, or syncs). */
  async readyz(signal?: AbortSignal): Promise<{ ready: boolean; reason: string }> {
    const reply = await requestJson(`${this.baseUrl}${SIDECAR_ROUTES.readyz.path}`, {
      method: 'GET',
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    const reason = errorText(reply.body);
    return { ready: reply.status === 200, reason: reply.status === 200 ? 'ready' : reason };
  }

  /**
   * One JSON-RPC call through POST /v1/rpc. -28 (warm-up) and 5xx without an RPC error are transient;
   * any other RPC error is permanent and named by code and message (the daemon's text never holds the
   * params, and the params are never put in an error here: importprivkey carries the WIF).
   */
  async rpc<T>(token: string, method: string, params: unknown[], signal?: AbortSignal): Promise<T> {
    const reply = await requestJson(`${this.baseUrl}${SIDECAR_ROUTES.rpc.path}`, {
      method: 'POST',
      token,
      body: { jsonrpc: '1.0', id: 'nn-jobs', method, params },
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    const body = reply.body as {
      result?: unknown;
      error?: { code?: number; message?: string } | null;
    } | null;
    const rpcError = body && typeof body === 'object' ? body.error : undefined;
    if (reply.status === 200 && !rpcError) return body?.result as T;
    if (rpcError && typeof rpcError === 'object') {
      const text = `${method}: RPC error ${rpcError.code ?? '?'}: ${String(rpcError.message ?? '').slice(0, 200)}`;
      // -28: warming up; -32002: the sidecar cannot reach its daemon (restarting): both pass.
      if (rpcError.code === -28 || rpcError.code === -32002) throw new TransientError(text);
      if (reply.status === 401 || reply.status === 403) throw new PermanentError(text);
      throw new PermanentError(text);
    }
    const text = `${method}: sidecar answered HTTP ${reply.status}: ${errorText(reply.body)}`;
    if (reply.status >= 500 || reply.status === 429) throw new TransientError(text);
    throw new PermanentError(text);
  }
}

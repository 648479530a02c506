import {
  type ChainStatus,
  chainStatusSchema,
  GatewayCode,
  readinessSchema,
  rpcReplySchema,
  SIDECAR_ROUTES,
} from '@nn/chain-sidecar/contract';
import { PermanentError, TransientError } from '@nn/orchestrator-core';
import { errorText, requestJson } from './http.js';
import { parseReply, routeName } from './reply-error.js';

/**
 * A chain sidecar's API as the orchestrator uses it: readiness, status and the operator's RPC
 * pass-through. (The Iguana sidecar's /readyz has the same contract, so this reads it too.)
 */
export class SidecarClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  /** GET /readyz: ready, or why not (503 while the daemon starts, warms up with -28, or syncs). */
  async readyz(signal?: AbortSignal): Promise<{ ready: boolean; reason: string }> {
    const route = SIDECAR_ROUTES.readyz;
    const reply = await requestJson(`${this.baseUrl}${route.path}`, {
      method: route.method,
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    // Anything else (a proxy's 502, a port not yet the sidecar's) is not ready, with what it said.
    if (reply.status !== 200 && reply.status !== 503) return { ready: false, reason: errorText(reply.body) };
    const r = parseReply(readinessSchema, reply.body, routeName(route));
    if (reply.status === 200 && r.ready) return { ready: true, reason: 'ready' };
    return { ready: false, reason: r.reason ?? `HTTP ${reply.status}` };
  }

  /** GET /v1/status with a viewer token: the daemon's normalised view. */
  async status(token: string, signal?: AbortSignal): Promise<ChainStatus> {
    const route = SIDECAR_ROUTES.status;
    const reply = await requestJson(`${this.baseUrl}${route.path}`, {
      method: route.method,
      token,
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (reply.status !== 200) failHttp(routeName(route), reply.status, reply.body);
    return parseReply(chainStatusSchema, reply.body, routeName(route));
  }

  /**
   * One JSON-RPC call through POST /v1/rpc. -28 (warm-up) and 5xx without an RPC error are transient;
   * any other RPC error is permanent and named by code and message (the daemon's text never holds the
   * params, and the params are never put in an error here: importprivkey carries the WIF).
   */
  async rpc<T>(token: string, method: string, params: unknown[], signal?: AbortSignal): Promise<T> {
    const route = SIDECAR_ROUTES.rpc;
    const reply = await requestJson(`${this.baseUrl}${route.path}`, {
      method: route.method,
      token,
      body: { jsonrpc: '1.0', id: 'nn-jobs', method, params },
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    // A body that is no JSON object (libevent's HTML 503 while the daemon stops, an empty 401 of the
    // daemon) is judged by its HTTP status below; a JSON object must be a JSON-RPC reply.
    const body =
      reply.body !== null && typeof reply.body === 'object'
        ? parseReply(rpcReplySchema, reply.body, `${routeName(route)} ${method}`)
        : undefined;
    if (reply.status === 200 && body && !body.error) return body.result as T;
    if (body?.error) {
      const { code, message } = body.error;
      const text = `${method}: RPC error ${code}: ${message.slice(0, 200)}`;
      // -28: warming up; DAEMON_UNREACHABLE: the sidecar cannot reach its daemon (restarting): both pass.
      if (code === -28 || code === GatewayCode.DAEMON_UNREACHABLE) throw new TransientError(text);
      throw new PermanentError(text);
    }
    failHttp(method, reply.status, reply.body);
  }
}

/** A reply with a status the caller does not take: 5xx and 429 pass, the rest is permanent. */
function failHttp(what: string, status: number, body: unknown): never {
  const text = `${what}: sidecar answered HTTP ${status}: ${errorText(body)}`;
  if (status >= 500 || status === 429) throw new TransientError(text);
  throw new PermanentError(text);
}

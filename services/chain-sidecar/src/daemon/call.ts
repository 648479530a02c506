import type { Agent } from 'node:http';
import JSONbig from 'json-bigint';
import { keepAliveAgent, post } from './post.js';

/** One JSON-RPC call's outcome before it is classified (rpc.ts turns these into its own errors). */
export type CallOutcome =
  | { kind: 'result'; result: unknown }
  | { kind: 'rpc-error'; code: number; message: string }
  | { kind: 'http'; status: number; message: string };

export interface CallTarget {
  readonly url: URL;
  readonly authorization: string;
  /** Keep-alive sockets of the caller (DaemonRpc destroys them at close). */
  readonly agent: Agent;
}

// Numbers longer than 15 characters arrive as strings (amounts, big heights stay exact), as the
// bitcoin-core client did with the same parser; strict refuses duplicate keys.
const { parse } = JSONbig({ storeAsString: true, strict: true });

/** Keep-alive sockets for the status queries: they run one after another, so two are plenty. */
export function callAgent(): Agent {
  return keepAliveAgent(2);
}

/**
 * A JSON-RPC 1.0 call as komodod and bitcoind take it (POST / with basic auth), over node:http: the
 * status and stop queries need nothing more, and a client library (bitcoin-core pulled in request,
 * lodash and sshpk) cost the sidecar several MiB resident. Network errors reject with the socket's error.
 */
export async function callDaemon(
  target: CallTarget,
  method: string,
  params: readonly unknown[],
  timeoutMs: number,
): Promise<CallOutcome> {
  const body = JSON.stringify({ id: String(Date.now()), method, params });
  const headers = { authorization: target.authorization, 'content-type': 'application/json' };
  const reply = await post(target.url, headers, body, target.agent, timeoutMs);
  return outcomeOf(reply.status, reply.contentType, reply.body);
}

function outcomeOf(status: number, contentType: string | undefined, raw: Buffer): CallOutcome {
  // A refusal before JSON-RPC (401 with an empty body, 503 HTML while stopping) carries no JSON.
  if (status !== 200 && contentType !== 'application/json')
    return { kind: 'http', status, message: `HTTP ${status}` };
  const reply = parse(raw.toString('utf8')) as { result?: unknown; error?: unknown } | null;
  if (reply === null || typeof reply !== 'object')
    throw new Error('daemon sent a reply that is not an object');
  if (reply.error !== null && reply.error !== undefined) {
    const e = reply.error as { code?: unknown; message?: unknown };
    return {
      kind: 'rpc-error',
      code: typeof e.code === 'number' ? e.code : -32603,
      message: typeof e.message === 'string' ? e.message : 'An error occurred while processing the RPC call',
    };
  }
  if (!('result' in reply))
    return { kind: 'rpc-error', code: -32700, message: 'Missing `result` on the RPC call result' };
  return { kind: 'result', result: reply.result };
}

import type { Logger } from 'pino';
import { type DaemonRpc, DaemonUnreachable } from '../daemon/rpc.js';
import type { SidecarMetrics } from '../metrics.js';
import { decide, NEVER_METHODS, OPERATOR_METHODS, type Role } from './allowlist.js';
import { errorReply, GatewayCode, type JsonRpcReply, parseRpcBody } from './jsonrpc.js';

export interface GatewayReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer | string;
}

const json = (status: number, reply: JsonRpcReply): GatewayReply => ({
  status,
  contentType: 'application/json',
  body: `${JSON.stringify(reply)}\n`,
});

/**
 * POST /v1/rpc: checks every method against the caller's role before the daemon sees anything,
 * then forwards the original bytes and returns the daemon's status and body unchanged. Logs carry
 * method names only: params can hold keys (importprivkey) and never reach a log.
 */
export async function forwardRpc(
  raw: Buffer,
  role: Role,
  rpc: DaemonRpc,
  metrics: SidecarMetrics,
  log: Logger,
): Promise<GatewayReply> {
  const started = process.hrtime.bigint();
  const parsed = parseRpcBody(raw);
  const label = (m: string) => (OPERATOR_METHODS.has(m) ? m : 'other');
  if (!parsed.ok) {
    metrics.rpcRequests.inc({ method: 'invalid', role, outcome: 'rejected' });
    return json(parsed.status, parsed.reply);
  }
  for (const req of parsed.requests) {
    const decision = decide(role, req.method);
    if (!decision.allowed) {
      metrics.rpcRequests.inc({ method: label(req.method), role, outcome: 'forbidden' });
      // Only names on the sidecar's own lists are logged: a refused "method" can be anything a
      // client sent, a WIF pasted in the wrong place included.
      const known = OPERATOR_METHODS.has(req.method) || NEVER_METHODS.has(req.method);
      log.warn({ method: known ? req.method : '(unknown)', role }, 'rpc method refused');
      return json(403, errorReply(GatewayCode.FORBIDDEN, decision.reason, req.id));
    }
  }
  try {
    const reply = await rpc.forward(raw);
    const outcome = reply.status === 200 ? 'ok' : 'daemon-error';
    for (const req of parsed.requests) metrics.rpcRequests.inc({ method: label(req.method), role, outcome });
    metrics.rpcDuration.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    return { status: reply.status, contentType: reply.contentType ?? 'application/json', body: reply.body };
  } catch (err) {
    if (!(err instanceof DaemonUnreachable)) throw err;
    for (const req of parsed.requests)
      metrics.rpcRequests.inc({ method: label(req.method), role, outcome: 'unreachable' });
    return json(
      503,
      errorReply(
        GatewayCode.DAEMON_UNREACHABLE,
        `daemon unreachable: ${err.message}`,
        parsed.requests[0]?.id ?? null,
      ),
    );
  }
}

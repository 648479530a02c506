/**
 * Error codes the sidecar itself answers with, in JSON-RPC's implementation-defined server range
 * (-32000..-32099), inside komodod's reply shape so JSON-RPC clients read them like daemon errors.
 */
export const GatewayCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  UNAUTHORIZED: -32001,
  DAEMON_UNREACHABLE: -32002,
  FORBIDDEN: -32003,
  TOO_MANY_REQUESTS: -32004,
} as const;

export interface JsonRpcReply {
  result: unknown;
  error: { code: number; message: string } | null;
  id: unknown;
}

export function errorReply(code: number, message: string, id: unknown = null): JsonRpcReply {
  return { result: null, error: { code, message }, id };
}

export interface JsonRpcRequest {
  readonly method: string;
  readonly params: unknown[];
  readonly id: unknown;
}

export type ParsedBody =
  | { ok: true; batch: boolean; requests: JsonRpcRequest[] }
  | { ok: false; status: number; reply: JsonRpcReply };

/** komodod's own batch limit is none; the gateway bounds it so one call cannot queue thousands. */
export const MAX_BATCH = 100;

export function parseRpcBody(raw: Buffer): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, status: 400, reply: errorReply(GatewayCode.PARSE_ERROR, 'Parse error: the body is not JSON') };
  }
  const batch = Array.isArray(value);
  const items = batch ? (value as unknown[]) : [value];
  if (batch && items.length === 0) return { ok: false, status: 400, reply: errorReply(GatewayCode.INVALID_REQUEST, 'empty batch') };
  if (items.length > MAX_BATCH) {
    return { ok: false, status: 413, reply: errorReply(GatewayCode.INVALID_REQUEST, `batch of ${items.length} requests exceeds ${MAX_BATCH}`) };
  }
  const requests: JsonRpcRequest[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { ok: false, status: 400, reply: errorReply(GatewayCode.INVALID_REQUEST, 'a request must be a JSON object') };
    }
    const { method, params, id = null } = item as Record<string, unknown>;
    if (typeof method !== 'string' || method.length === 0) {
      return { ok: false, status: 400, reply: errorReply(GatewayCode.INVALID_REQUEST, "field 'method' must be a non-empty string", id) };
    }
    if (params !== undefined && params !== null && !Array.isArray(params)) {
      return { ok: false, status: 400, reply: errorReply(GatewayCode.INVALID_REQUEST, "field 'params' must be an array", id) };
    }
    requests.push({ method, params: (params ?? []) as unknown[], id });
  }
  return { ok: true, batch, requests };
}

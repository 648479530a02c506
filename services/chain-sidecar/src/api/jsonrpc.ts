import { GatewayCode, type GatewayError, type JsonRpcReply } from '../contract/index.js';

export { GatewayCode, type JsonRpcReply };

export function errorReply(code: number, message: string, id: unknown = null): GatewayError {
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
  const text = raw.toString('utf8');
  try {
    value = JSON.parse(text);
  } catch {
    return {
      ok: false,
      status: 400,
      reply: errorReply(GatewayCode.PARSE_ERROR, 'Parse error: the body is not JSON'),
    };
  }
  const batch = Array.isArray(value);
  const items = batch ? (value as unknown[]) : [value];
  if (batch && items.length === 0)
    return { ok: false, status: 400, reply: errorReply(GatewayCode.INVALID_REQUEST, 'empty batch') };
  if (items.length > MAX_BATCH) {
    return {
      ok: false,
      status: 413,
      reply: errorReply(
        GatewayCode.INVALID_REQUEST,
        `batch of ${items.length} requests exceeds ${MAX_BATCH}`,
      ),
    };
  }
  const requests: JsonRpcRequest[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return {
        ok: false,
        status: 400,
        reply: errorReply(GatewayCode.INVALID_REQUEST, 'a request must be a JSON object'),
      };
    }
    const { method, params, id = null } = item as Record<string, unknown>;
    if (typeof method !== 'string' || method.length === 0) {
      return {
        ok: false,
        status: 400,
        reply: errorReply(GatewayCode.INVALID_REQUEST, "field 'method' must be a non-empty string", id),
      };
    }
    if (params !== undefined && params !== null && !Array.isArray(params)) {
      return {
        ok: false,
        status: 400,
        reply: errorReply(GatewayCode.INVALID_REQUEST, "field 'params' must be an array", id),
      };
    }
    requests.push({ method, params: (params ?? []) as unknown[], id });
  }
  const dup = mayHaveDuplicateKeys(text, requests.length) ? duplicateRequestKey(text, batch) : undefined;
  if (dup !== undefined) {
    return {
      ok: false,
      status: 400,
      reply: errorReply(GatewayCode.INVALID_REQUEST, `duplicate key '${dup.slice(0, 64)}' in a request`),
    };
  }
  return { ok: true, batch, requests };
}

function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * Cheap pre-check for duplicateRequestKey. Without a backslash every "method" key is written
 * literally, so when the literal `"method"` occurs once per request (and `"params"` at most once per
 * request) no request can hold either key twice.
 */
function mayHaveDuplicateKeys(text: string, requests: number): boolean {
  if (text.includes('\\')) return true;
  return occurrences(text, '"method"') !== requests || occurrences(text, '"params"') > requests;
}

/**
 * The first key that a request object (depth 1, or depth 2 in a batch) holds twice. JSON.parse keeps
 * the last of duplicate keys while the daemon's UniValue keeps the first (univalue find_value), so the
 * gateway would check one method and the daemon run another. `text` is valid JSON (already parsed).
 */
function duplicateRequestKey(text: string, batch: boolean): string | undefined {
  const target = batch ? 2 : 1;
  const stack: Array<{ keys: Set<string> | undefined; expectKey: boolean }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return key;
        top.keys.add(key);
        top.expectKey = false;
      }
      i = j;
    } else if (c === 0x7b) {
      stack.push({ keys: stack.length + 1 === target ? new Set() : undefined, expectKey: true });
    } else if (c === 0x5b) {
      stack.push({ keys: undefined, expectKey: false });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    }
  }
  return undefined;
}

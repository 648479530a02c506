import { describe, expect, it } from 'vitest';
import { GatewayCode, MAX_BATCH, parseRpcBody } from './jsonrpc.js';

const parse = (text: string) => parseRpcBody(Buffer.from(text));

function rejected(text: string): { status: number; code: number; message: string; id: unknown } {
  const p = parse(text);
  if (p.ok) throw new Error(`accepted: ${text}`);
  const error = p.reply.error;
  if (!error) throw new Error('no error in the reply');
  return { status: p.status, code: error.code, message: error.message, id: p.reply.id };
}

describe('parseRpcBody', () => {
  it('reads a single request and a batch; missing params are []', () => {
    const one = parse('{"method":"getinfo","id":7}');
    expect(one).toEqual({ ok: true, batch: false, requests: [{ method: 'getinfo', params: [], id: 7 }] });
    const batch = parse(
      '[{"method":"getblockcount","params":[],"id":1},{"method":"getblockhash","params":[5]}]',
    );
    expect(batch.ok && batch.batch).toBe(true);
    expect(batch.ok && batch.requests.map((r) => [r.method, r.params, r.id])).toEqual([
      ['getblockcount', [], 1],
      ['getblockhash', [5], null],
    ]);
  });

  it.each([
    ['not JSON', '{"method":', 400, GatewayCode.PARSE_ERROR, 'Parse error'],
    ['an empty body', '', 400, GatewayCode.PARSE_ERROR, 'Parse error'],
    ['a bare number', '42', 400, GatewayCode.INVALID_REQUEST, 'a request must be a JSON object'],
    ['null', 'null', 400, GatewayCode.INVALID_REQUEST, 'a request must be a JSON object'],
    [
      'no method',
      '{"params":[]}',
      400,
      GatewayCode.INVALID_REQUEST,
      "field 'method' must be a non-empty string",
    ],
    ['a numeric method', '{"method":5}', 400, GatewayCode.INVALID_REQUEST, "field 'method'"],
    ['an empty method', '{"method":""}', 400, GatewayCode.INVALID_REQUEST, "field 'method'"],
    [
      'object params',
      '{"method":"getblock","params":{"hash":"00"}}',
      400,
      GatewayCode.INVALID_REQUEST,
      "field 'params' must be an array",
    ],
    [
      'string params',
      '{"method":"getblock","params":"00"}',
      400,
      GatewayCode.INVALID_REQUEST,
      "field 'params' must be an array",
    ],
    ['an empty batch', '[]', 400, GatewayCode.INVALID_REQUEST, 'empty batch'],
    [
      'a non-object in a batch',
      '[{"method":"getinfo"},7]',
      400,
      GatewayCode.INVALID_REQUEST,
      'a request must be a JSON object',
    ],
  ])('rejects %s', (_what, text, status, code, message) => {
    const r = rejected(text);
    expect(r.status).toBe(status);
    expect(r.code).toBe(code);
    expect(r.message).toContain(message);
  });

  it('echoes the id of a bad request so clients can match the error', () => {
    expect(rejected('{"method":"x","params":"y","id":"abc"}').id).toBe('abc');
  });

  it('bounds a batch at MAX_BATCH requests', () => {
    const item = '{"method":"getblockcount"}';
    const atLimit = parse(`[${Array(MAX_BATCH).fill(item).join(',')}]`);
    expect(atLimit.ok && atLimit.requests.length).toBe(MAX_BATCH);
    const over = rejected(
      `[${Array(MAX_BATCH + 1)
        .fill(item)
        .join(',')}]`,
    );
    expect(over.status).toBe(413);
    expect(over.message).toBe(`batch of ${MAX_BATCH + 1} requests exceeds ${MAX_BATCH}`);
  });

  // komodod and Bitcoin Core (UniValue) keep duplicate keys and take the FIRST "method"
  // (univalue find_value); JSON.parse keeps the LAST. Without this check
  // {"method":"dumpprivkey","method":"getinfo"} passes the allowlist as getinfo and runs as dumpprivkey.
  it.each([
    ['a repeated method', '{"method":"dumpprivkey","method":"getinfo","params":["R"]}'],
    ['a repeated method written with escapes', '{"m\\u0065thod":"dumpprivkey","method":"getinfo"}'],
    [
      'a repeated method inside a batch',
      '[{"method":"getinfo"},{"method":"dumpwallet","params":[],"method":"getinfo"}]',
    ],
    ['a repeated params', '{"method":"getinfo","params":[],"params":[1]}'],
  ])('rejects %s', (_what, text) => {
    const r = rejected(text);
    expect(r.status).toBe(400);
    expect(r.code).toBe(GatewayCode.INVALID_REQUEST);
    expect(r.message).toMatch(/duplicate key/);
  });

  it('does not mistake "method" inside values or nested objects for a duplicate', () => {
    const p = parse(
      '{"method":"getinfo","params":["\\"method\\"",{"method":1,"m":{"method":2}}],"id":"method"}',
    );
    expect(p.ok && p.requests[0]?.method).toBe('getinfo');
    const escaped = parse('{"m\\u0065thod":"getinfo","id":1}');
    expect(escaped.ok && escaped.requests[0]?.method).toBe('getinfo');
  });
});

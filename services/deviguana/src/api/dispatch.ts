// Iguana's dispatch of one JSON request (dPoW main.c SuperNET_JSON / SuperNET_jsonstr, iguana_json.c
// SuperNET_parser) and the `tag` every object reply of that path carries.
import { randomBytes } from 'node:crypto';
import type { IguanaState } from '../state.js';
import { type Fields, str } from './fields.js';
import { AGENT_METHODS, type CallContext, type Reply, RPC_CALLS } from './methods.js';

/** A random uint64 as a decimal string, or the request's own non-zero tag echoed. */
export function replyTag(requestTag: unknown, random: () => Buffer = () => randomBytes(8)): string {
  if (typeof requestTag === 'string' && /^\d{1,20}$/.test(requestTag) && BigInt(requestTag) !== 0n) {
    return BigInt(requestTag) <= 0xffffffffffffffffn
      ? BigInt(requestTag).toString()
      : random().readBigUInt64LE().toString();
  }
  if (typeof requestTag === 'number' && Number.isSafeInteger(requestTag) && requestTag > 0)
    return String(requestTag);
  return random().readBigUInt64LE().toString();
}

function withTag(reply: Reply, requestTag: unknown): Reply {
  if (Array.isArray(reply)) return reply;
  return { ...reply, tag: replyTag(requestTag) };
}

/** The coin a coin-bound call works on: `activecoin`, else `coin`, else myinfo->rpcsymbol. */
function selectCoin(s: IguanaState, f: Fields) {
  const symbol = str(f, 'activecoin') || str(f, 'coin') || s.rpcsymbol;
  return s.coins.get(symbol);
}

async function processObject(s: IguanaState, f: Fields, ctx: CallContext): Promise<Reply> {
  const method = f.method;
  if (typeof method !== 'string' || method.length === 0) return { error: 'no method' };
  if (method === 'login' || method === 'logout')
    return { error: 'login and logout are internal only functions' };
  const agent = f.agent;
  if (typeof agent === 'string' && agent.length > 0 && f.params === undefined) {
    const handler = AGENT_METHODS.get(`${agent}/${method}`);
    if (!handler) return { error: 'unsupported call', agent, method };
    const coin = selectCoin(s, f);
    if (agent === 'bitcoinrpc' && !coin) return { error: 'bitcoinrpc needs coin that is active' };
    return handler(s, f, ctx, coin);
  }
  const rpc = RPC_CALLS.get(method);
  if (rpc && (!ctx.remote || rpc.remote)) {
    const coin = selectCoin(s, f);
    if (!coin) return { error: 'null return from iguana_bitcoinRPC' };
    const params = Array.isArray(f.params) ? f.params : [];
    const fields: Fields = { ...f };
    rpc.fields.forEach((name, i) => {
      if (params[i] !== undefined) fields[name] = params[i];
    });
    const handler = AGENT_METHODS.get(`bitcoinrpc/${method}`);
    if (handler) return handler(s, fields, ctx, coin);
  }
  return { error: 'need both agent and method' };
}

/** One request body (object or array of objects) → the JSON text Iguana answers. */
export async function dispatchJson(s: IguanaState, value: unknown, ctx: CallContext): Promise<string> {
  if (Array.isArray(value)) {
    const out: Reply[] = [];
    for (const item of value) out.push(await one(s, item, ctx));
    return JSON.stringify(out);
  }
  return JSON.stringify(await one(s, value, ctx));
}

async function one(s: IguanaState, value: unknown, ctx: CallContext): Promise<Reply> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return withTag({ error: 'no method' }, 0);
  const f = value as Fields;
  try {
    return withTag(await processObject(s, f, ctx), f.tag);
  } catch (e) {
    s.log.warn({ problem: (e as Error).message, method: f.method }, 'request failed');
    return withTag({ error: 'couldnt process packet' }, f.tag);
  }
}

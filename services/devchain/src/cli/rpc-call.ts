import { readFileSync } from 'node:fs';
import { parseConf } from '@nn/komodo-params';
import { resolveDevchainConfig } from '../node/resolve-config.js';

export interface RpcTarget {
  readonly url: string;
  readonly user: string;
  readonly password: string;
}

/**
 * Where a daemon started with `argv` answers RPC and with which credentials, as komodo-cli finds it;
 * `program` is the cli's or the daemon's path (kmdclassic-cli reads ~/.kmdclassic, litecoin-cli ~/.litecoin).
 */
export function rpcTargetFor(argv: readonly string[], home: string, program?: string): RpcTarget {
  const { cfg } = resolveDevchainConfig(argv, home, program);
  let { user, password } = cfg.rpc;
  if (!user || !password) {
    const conf = parseConf(readFileSync(cfg.confPath, 'utf8'));
    user = conf.get('rpcuser')?.[0] ?? '';
    password = conf.get('rpcpassword')?.[0] ?? '';
  }
  return { url: `http://127.0.0.1:${cfg.rpcPort}/`, user, password };
}

export interface RpcOutcome {
  readonly status: number;
  readonly result: unknown;
  readonly error: { code: number; message: string } | null;
}

export async function callRpc(
  target: RpcTarget,
  method: string,
  params: unknown[],
  timeoutMs = 30_000,
): Promise<RpcOutcome> {
  const res = await fetch(target.url, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${target.user}:${target.password}`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ jsonrpc: '1.0', id: 'devchain-cli', method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!text)
    return { status: res.status, result: null, error: { code: res.status, message: `HTTP ${res.status}` } };
  const body = JSON.parse(text) as { result: unknown; error: { code: number; message: string } | null };
  return { status: res.status, result: body.result, error: body.error };
}

import { readFileSync } from 'node:fs';
import { parseConf } from '@nn/komodo-params';
import type { DestinationView } from '../node/context.js';

/** What one call to the destination gave: the parsed JSON body, or undefined (no answer, not JSON). */
type Reply = Record<string, unknown> | undefined;

/**
 * komodod's notarizedtxid_height() (komodo_bitcoind.cpp), which getinfo runs on every call: with
 * rpcuser/rpcpassword/rpcport from the parent conf file (assetchain → KMD) or the -notary conf
 * (KMD → LTC/BTC) it POSTs to 127.0.0.1:<rpcport>
 *   1. `getinfo` (KMD) or `getblockchaininfo` (LTC/BTC) → `blocks`, shown as KMDnotarized_height;
 *   2. `getrawtransaction <notarizedtxid> 1` → `rawconfirmations`; the txid's height is
 *      blocks − rawconfirmations when rawconfirmations > 0 and blocks > rawconfirmations, else blocks.
 * Both start at 0 on each call, so they read 0 (getinfo: "mempool") while the destination is down,
 * unreadable or refusing the credentials. Only `rawconfirmations` is read, as komodod does: litecoind
 * has no such field, so a KMD → LTC notarisation's height reads as LTC's `blocks`.
 * devchain asks with a short time-out and keeps the answer for one second.
 */
export class DestinationClient implements DestinationView {
  destHeight = 0;
  notarizedTxidHeight = 0;
  private fetchedAt = 0;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly kind: 'kmd' | 'btc',
    private readonly confPath: string,
    private readonly defaultPort: number,
    /** The current notarisation's desttxid (all zeros before the first one, as komodod sends it). */
    private readonly notarizedTxid: () => string,
  ) {}

  refresh(): Promise<void> {
    if (Date.now() - this.fetchedAt < 1_000) return Promise.resolve();
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = undefined;
      this.fetchedAt = Date.now();
    });
    return this.inFlight;
  }

  private async fetch(): Promise<void> {
    const target = this.readTarget();
    if (!target) {
      // No parent conf: komodod has no KMDUSERPASS (BTCUSERPASS) and never asks.
      this.destHeight = 0;
      this.notarizedTxidHeight = 0;
      return;
    }
    const info = await this.call(target, this.kind === 'kmd' ? 'getinfo' : 'getblockchaininfo', []);
    const blocks = jint(info?.result, 'blocks');
    const tx = await this.call(target, 'getrawtransaction', [this.notarizedTxid(), 1]);
    this.destHeight = blocks;
    this.notarizedTxidHeight = txidHeight(blocks, tx);
  }

  private readTarget(): { port: number; auth: string } | undefined {
    let conf: Map<string, string[]>;
    try {
      conf = parseConf(readFileSync(this.confPath, 'utf8'));
    } catch {
      return undefined;
    }
    const user = conf.get('rpcuser')?.[0] ?? '';
    const pass = conf.get('rpcpassword')?.[0] ?? '';
    const port = Number(conf.get('rpcport')?.[0] ?? this.defaultPort);
    return { port, auth: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
  }

  private async call(
    target: { port: number; auth: string },
    method: string,
    params: unknown[],
  ): Promise<Reply> {
    try {
      const res = await fetch(`http://127.0.0.1:${target.port}/`, {
        method: 'POST',
        headers: { Authorization: target.auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: 'jl777', method, params }),
        signal: AbortSignal.timeout(2_000),
      });
      const body: unknown = JSON.parse(await res.text());
      return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
    } catch {
      return undefined; // Destination down, warming up, refusing us (401 has no JSON body) or slow.
    }
  }
}

/** cJSON's jint: the field as an integer, 0 when missing or not a number. */
function jint(obj: unknown, field: string): number {
  if (typeof obj !== 'object' || obj === null) return 0;
  const v = (obj as Record<string, unknown>)[field];
  return typeof v === 'number' ? Math.trunc(v) : 0;
}

/**
 * notarizedtxid_height's last step. Any JSON reply with a `result` key counts, even an error reply
 * whose result is null (an unknown txid): komodod then reads 0 confirmations and uses `blocks`.
 */
export function txidHeight(blocks: number, reply: Reply): number {
  if (!reply || !('result' in reply)) return 0;
  const confirmations = jint(reply.result, 'rawconfirmations');
  return confirmations > 0 && blocks > confirmations ? blocks - confirmations : blocks;
}

/** For chains without a destination (KMD without -notary, LTC, BTC). */
export const NO_DESTINATION: DestinationView & { refresh(): Promise<void> } = {
  destHeight: 0,
  notarizedTxidHeight: 0,
  refresh: () => Promise.resolve(),
};

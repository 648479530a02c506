import { readFileSync } from 'node:fs';
import { parseConf } from '@nn/komodo-params';
import type { DestinationView } from '../node/context.js';

/**
 * How an assetchain learns KMD's height (and KMD its destination chain's): komodod reads rpcuser,
 * rpcpassword and rpcport from the parent conf file and POSTs `getinfo` (KMD) or `getblockchaininfo`
 * (LTC/BTC) to 127.0.0.1:<rpcport>, keeping `result.blocks` (komodo_bitcoind.cpp). It does so while
 * answering getinfo; devchain does the same, with a short time-out and a one-second cache.
 * komodod's notarizedtxid_height() zeroes the height before each call, so it reads 0 while the
 * destination is down, unreadable or refusing the credentials; devchain does the same.
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
    this.destHeight = await this.askHeight();
  }

  private async askHeight(): Promise<number> {
    let conf: Map<string, string[]>;
    try {
      conf = parseConf(readFileSync(this.confPath, 'utf8'));
    } catch {
      return 0; // No parent conf: komodod has no KMDUSERPASS and never asks.
    }
    const user = conf.get('rpcuser')?.[0] ?? '';
    const pass = conf.get('rpcpassword')?.[0] ?? '';
    const port = Number(conf.get('rpcport')?.[0] ?? this.defaultPort);
    const method = this.kind === 'kmd' ? 'getinfo' : 'getblockchaininfo';
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ id: 'jl777', method, params: [] }),
        signal: AbortSignal.timeout(2_000),
      });
      const body = (await res.json()) as { result?: { blocks?: unknown } | null };
      const blocks = body.result?.blocks;
      return typeof blocks === 'number' ? blocks : 0;
    } catch {
      return 0; // Destination down, warming up or refusing us.
    }
  }
}

/** For chains without a destination (KMD without -notary, LTC, BTC). */
export const NO_DESTINATION: DestinationView & { refresh(): Promise<void> } = {
  destHeight: 0,
  notarizedTxidHeight: 0,
  refresh: () => Promise.resolve(),
};

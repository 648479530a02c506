import { PermanentError, TransientError } from '@nn/orchestrator-core';
import { abortableSleep } from '@nn/shared';
import { SidecarClient } from '@nn/sidecar-clients';

// The wallet calls the day-2 jobs make, through the unit's sidecar with the operator token (the only
// role allowed to spend). Amounts travel as JSON numbers with 8 decimals (komodod's and bitcoind's
// format) and are handled here as integer satoshis, so sums and fees are exact.

export const SATS_PER_COIN = 100_000_000;
export const sats = (coins: number): number => Math.round(coins * SATS_PER_COIN);
/** A satoshi amount as the daemon's JSON number (at most 8 decimals, exact for any real supply). */
export const coins = (amount: number): number => Number((amount / SATS_PER_COIN).toFixed(8));

export interface WalletInfo {
  readonly balance: number;
  readonly unconfirmed: number;
  readonly immature: number;
  readonly txcount: number;
}

export interface Unspent {
  readonly txid: string;
  readonly vout: number;
  readonly address?: string;
  readonly scriptPubKey: string;
  /** satoshis */
  readonly amount: number;
  readonly confirmations: number;
}

interface RawUnspent {
  txid: string;
  vout: number;
  address?: string;
  scriptPubKey: string;
  amount: number;
  confirmations: number;
  spendable?: boolean;
}

export class WalletRpc {
  constructor(
    private readonly client: SidecarClient,
    private readonly token: string,
    private readonly signal: AbortSignal,
  ) {}

  static at(url: string, token: string, timeoutMs: number, signal: AbortSignal): WalletRpc {
    return new WalletRpc(new SidecarClient(url, timeoutMs), token, signal);
  }

  call<T>(method: string, params: unknown[] = []): Promise<T> {
    return this.client.rpc<T>(this.token, method, params, this.signal);
  }

  async info(): Promise<WalletInfo> {
    const w = await this.call<{
      balance: number;
      unconfirmed_balance: number;
      immature_balance: number;
      txcount: number;
    }>('getwalletinfo');
    return {
      balance: sats(w.balance),
      unconfirmed: sats(w.unconfirmed_balance),
      immature: sats(w.immature_balance),
      txcount: w.txcount,
    };
  }

  /** Confirmed, spendable outputs (locked ones are left out by the daemon). */
  async unspent(minconf = 1): Promise<Unspent[]> {
    const list = await this.call<RawUnspent[]>('listunspent', [minconf, 9_999_999]);
    return list
      .filter((u) => u.spendable !== false)
      .map((u) => ({
        txid: u.txid,
        vout: u.vout,
        ...(u.address !== undefined ? { address: u.address } : {}),
        scriptPubKey: u.scriptPubKey,
        amount: sats(u.amount),
        confirmations: u.confirmations,
      }));
  }

  /** Unlocks every output the wallet holds locked (Iguana locks the UTXOs it means to use); the count. */
  async unlockAll(): Promise<number> {
    const locked = await this.call<Array<{ txid: string; vout: number }>>('listlockunspent');
    if (locked.length > 0) await this.call('lockunspent', [true, locked]);
    return locked.length;
  }

  /** Confirmations of a wallet transaction; null when the wallet does not know it. */
  async confirmations(txid: string): Promise<number | null> {
    try {
      const t = await this.call<{ confirmations: number }>('gettransaction', [txid]);
      return t.confirmations;
    } catch (err) {
      // -5: "Invalid or non-wallet transaction id"
      if (err instanceof PermanentError && /RPC error -5:/.test(err.message)) return null;
      throw err;
    }
  }

  /** Waits until the transaction has a confirmation; transient (retried) past the bound. */
  async waitConfirmed(txid: string, timeoutMs: number, pollMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await this.confirmations(txid);
      if (c !== null && c >= 1) return c;
      if (c !== null && c < 0)
        throw new PermanentError(`transaction ${txid} conflicted (${c} confirmations)`);
      if (Date.now() >= deadline)
        throw new TransientError(`transaction ${txid} not confirmed after ${Math.round(timeoutMs / 1000)} s`);
      await abortableSleep(pollMs, this.signal);
    }
  }
}

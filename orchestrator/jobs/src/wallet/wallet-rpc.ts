import { PermanentError, TransientError } from '@nn/orchestrator-core';
import { abortableSleep } from '@nn/shared';
import { SidecarClient } from '@nn/sidecar-clients';

// The wallet calls the day-2 jobs make, through the unit's sidecar with the operator token (the only
// role allowed to spend). Amounts travel as JSON numbers with 8 decimals (komodod's and bitcoind's
// format) and are handled here as integer satoshis, so sums and fees are exact. Where komodod and
// Bitcoin Core 0.21 (litecoind) differ, the daemon's flavour picks the call: signing, key import.

/** What the daemon speaks (the network file's `flavour`): komodod's RPC or Bitcoin Core's. */
export type WalletFlavour = 'komodo' | 'bitcoin';

export const SATS_PER_COIN = 100_000_000;
export const sats = (coins: number): number => Math.round(coins * SATS_PER_COIN);
/** A satoshi amount as the daemon's JSON number (at most 8 decimals, exact for any real supply). */
export const coins = (amount: number): number => Number((amount / SATS_PER_COIN).toFixed(8));

export interface WalletInfo {
  /** Bitcoin Core's loaded wallet ('' the unnamed default one); komodod has one wallet and no name. */
  readonly walletName: string | null;
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
    readonly flavour: WalletFlavour = 'komodo',
  ) {}

  static at(
    url: string,
    token: string,
    timeoutMs: number,
    signal: AbortSignal,
    flavour: WalletFlavour = 'komodo',
  ): WalletRpc {
    return new WalletRpc(new SidecarClient(url, timeoutMs), token, signal, flavour);
  }

  call<T>(method: string, params: unknown[] = []): Promise<T> {
    return this.client.rpc<T>(this.token, method, params, this.signal);
  }

  async info(): Promise<WalletInfo> {
    const w = await this.call<{
      walletname?: string;
      balance: number;
      unconfirmed_balance: number;
      immature_balance: number;
      txcount: number;
    }>('getwalletinfo');
    return {
      walletName: typeof w.walletname === 'string' ? w.walletname : null,
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

  /**
   * Signs a raw transaction with the wallet's keys: komodod's signrawtransaction, Bitcoin Core 0.17+'s
   * signrawtransactionwithwallet (0.21 has no signrawtransaction).
   */
  sign(hex: string): Promise<{ hex: string; complete: boolean }> {
    const method = this.flavour === 'komodo' ? 'signrawtransaction' : 'signrawtransactionwithwallet';
    return this.call(method, [hex]);
  }

  /**
   * Imports a key and finds its outputs from `fromHeight` up. komodod's importprivkey takes the rescan
   * height itself; Bitcoin Core's takes only a rescan flag, so the key goes in without a rescan and
   * rescanblockchain (0.16+) scans from the height. A key the wallet holds already is a no-op import.
   */
  async importKey(wif: string, fromHeight: number): Promise<void> {
    if (this.flavour === 'komodo') {
      await this.call('importprivkey', [wif, '', true, fromHeight]);
      return;
    }
    await this.call('importprivkey', [wif, '', false]);
    await this.call('rescanblockchain', [fromHeight]);
  }

  /**
   * Bitcoin Core 0.21 creates no wallet at start-up: with wallet.dat set aside the daemon starts with
   * none loaded (-18). The wallet of `name` is then created (legacy, loaded at start-up from then on,
   * as an operator's `createwallet` does), or loaded where its file exists (-4 on create). A daemon
   * with a wallet loaded, and komodod (which makes wallet.dat itself), are left as they are.
   */
  async ensureWallet(name: string): Promise<'loaded' | 'created' | 'opened'> {
    if (this.flavour === 'komodo') return 'loaded';
    try {
      await this.call('getwalletinfo');
      return 'loaded';
    } catch (err) {
      if (!(err instanceof PermanentError && /RPC error -18:/.test(err.message))) throw err;
    }
    try {
      await this.call('createwallet', [name, false, false, '', false, false, true]);
      return 'created';
    } catch (err) {
      if (!(err instanceof PermanentError && /RPC error -4:/.test(err.message))) throw err;
    }
    await this.call('loadwallet', [name, true]);
    return 'opened';
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

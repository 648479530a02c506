import { DPOW_UTXOSIZE } from './notary-tx.js';

export interface UnspentItem {
  readonly txid?: unknown;
  readonly vout?: unknown;
  readonly address?: unknown;
  readonly amount?: unknown;
  readonly value?: unknown;
  readonly scriptPubKey?: unknown;
  readonly spendable?: unknown;
}

export interface NotaryUtxo {
  readonly txid: string;
  readonly vout: number;
  readonly scriptPubKey: string;
}

function satoshis(v: unknown): bigint {
  return typeof v === 'number' && Number.isFinite(v) ? BigInt(Math.round(v * 1e8)) : 0n;
}

/**
 * dpow_haveutxo's filter (dpow_rpc.c): `spendable` not false, amount (or value) exactly DPOW_UTXOSIZE,
 * `address` the notary's own, a 35-byte scriptPubKey (P2PK), a txid and vout.
 */
export function notaryUtxos(items: readonly UnspentItem[], address: string): NotaryUtxo[] {
  const out: NotaryUtxo[] = [];
  for (const item of items) {
    if (item.spendable === false) continue;
    let sats = satoshis(item.amount);
    if (sats === 0n) sats = satoshis(item.value);
    if (sats !== DPOW_UTXOSIZE || item.address !== address) continue;
    if (typeof item.scriptPubKey !== 'string' || !/^[0-9a-fA-F]{70}$/.test(item.scriptPubKey)) continue;
    if (typeof item.txid !== 'string' || !/^[0-9a-fA-F]{64}$/.test(item.txid)) continue;
    if (typeof item.vout !== 'number' || !Number.isInteger(item.vout) || item.vout < 0) continue;
    out.push({
      txid: item.txid.toLowerCase(),
      vout: item.vout,
      scriptPubKey: item.scriptPubKey.toLowerCase(),
    });
  }
  return out;
}

/** Iguana picks one at random so notaries spread over their UTXOs. */
export function pickRandom<T>(items: readonly T[], random: () => number = Math.random): T | undefined {
  if (items.length === 0) return undefined;
  return items[Math.floor(random() * items.length) % items.length];
}

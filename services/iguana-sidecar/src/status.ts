// How regularly a coin notarises, by the time since its last notarisation (komodo-facts §6, the
// operators' monitoring rule): under 2.5 h active, 2.5 h to 24 h irregular, over 24 h inactive. A coin
// never notarised is inactive. (dragon_node colours at 2 h / 6 h / 24 h; docs/reference/iguana.md §6.)

export type Activity = 'active' | 'irregular' | 'inactive';

export const ACTIVE_BELOW_SEC = 2.5 * 3600;
export const INACTIVE_ABOVE_SEC = 24 * 3600;

export function activityOf(secondsSinceNotarisation: number | null): Activity {
  if (secondsSinceNotarisation === null) return 'inactive';
  if (secondsSinceNotarisation < ACTIVE_BELOW_SEC) return 'active';
  if (secondsSinceNotarisation <= INACTIVE_ABOVE_SEC) return 'irregular';
  return 'inactive';
}

/** One coin in GET /v1/status. */
export interface CoinStatus {
  readonly name: string;
  readonly kind: 'kmd' | 'ltc' | 'btc' | 'assetchain';
  readonly role: 'source' | 'destination';
  /** Added at runtime (POST /v1/coins) rather than configured. */
  readonly runtime: boolean;
  /** Iguana answered addcoin with "coin added" / "coin already there" since it last (re)started. */
  readonly registered: boolean;
  /** Iguana accepted dpow for it ("success" / "cant dPoW same coin again"). */
  readonly dpowActive: boolean;
  /** The loopback bridge's port (the RPC port Iguana calls). */
  readonly bridgePort: number;
  /** Whether its chain sidecar answered. */
  readonly chain: 'ok' | 'unreachable';
  readonly blocks: number | null;
  /** The chain's `notarized` (getinfo): height of its last notarised block; null for LTC/BTC. */
  readonly lastNotarisedHeight: number | null;
  /** Block time (unix seconds) of that block. */
  readonly lastNotarisedTime: number | null;
  readonly secondsSinceNotarisation: number | null;
  /** Spendable notary-size P2PK UTXOs, from the chain sidecar (null when it has no notary pubkey). */
  readonly notaryUtxos: number | null;
  /** active / irregular / inactive for notarised coins; null for the destination chain. */
  readonly status: Activity | null;
  /** The last failed step for this coin (addcoin, dpow, unlock, status), if any. */
  readonly lastError: string | null;
}

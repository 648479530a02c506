// The bodies the dPoW scripts send to Iguana (docs/reference/iguana.md §3, notary-facts §5), built in
// one place so the sequence, the API and the tests agree on them.

export const helpRequest = () => ({ agent: 'SuperNET', method: 'help' });

export const myipaddrRequest = (ipaddr: string) => ({ agent: 'SuperNET', method: 'myipaddr', ipaddr });

export const addnotaryRequest = (ipaddr: string) => ({ agent: 'iguana', method: 'addnotary', ipaddr });

/**
 * The bare bitcoin-RPC form the scripts use (wp_7776): no coin, so Iguana binds it to the first coin
 * added (KMD). 9999999 s is the scripts' timeout. The returned object holds the passphrase: it goes to
 * the socket and nowhere else.
 */
export const walletpassphraseRequest = (passphrase: string) => ({
  method: 'walletpassphrase',
  params: [passphrase, 9999999],
});

export function dpowRequest(symbol: string, pubkey: string, freq?: number): Record<string, unknown> {
  const body: Record<string, unknown> = { agent: 'iguana', method: 'dpow', symbol, pubkey };
  if (freq !== undefined) body.freq = freq;
  return body;
}

/** Notary UTXOs are 10000 sat (notary-facts §6); `satoshis` is a string as in dPoW m_splitfund. */
export const NOTARY_UTXO_SATOSHIS = 10000;

export const splitfundsRequest = (coin: string, duplicates: number) => ({
  coin,
  agent: 'iguana',
  method: 'splitfunds',
  satoshis: String(NOTARY_UTXO_SATOSHIS),
  sendflag: 1,
  duplicates,
});

/** addcoin replies meaning "the coin is registered" (iguana.md §3.3). */
export const ADDCOIN_OK = ['coin added', 'coin already there'] as const;

/** dpow errors that mean "already dPoW'd in this Iguana" (iguana.md §3.5 check 8). */
export const DPOW_ALREADY = 'cant dPoW same coin again';

/**
 * What Iguana calls on a coin's daemon (docs/reference/iguana.md §4.2, from dPoW dpow_rpc.c, dpow_fsm.c,
 * dpow_tx.c, iguana_notary.c, iguana_wallet.c): the loopback bridge lets these through to the coin's
 * chain sidecar and nothing else. The chain sidecar token must have the operator role, because
 * signing, broadcasting, locking and importing the key are wallet methods.
 */
export const IGUANA_BRIDGE_METHODS: readonly string[] = [
  // heights, MoM data, CCid (getinfo, else getblockchaininfo)
  'getinfo',
  'getblockchaininfo',
  // chain tips and the blocks to notarise
  'getbestblockhash',
  'getblock',
  'getblockhash',
  'getblockcount',
  // dpow registration: the daemon must own the notary address
  'validateaddress',
  'getaddressinfo',
  // notary UTXOs and their locks (KMD)
  'listunspent',
  'lockunspent',
  // MoM for assetchain → KMD, MoMoM on KMD
  'calc_MoM',
  'MoMoMdata',
  // signing and broadcasting the notarisation transactions
  'signrawtransaction',
  'signrawtransactionwithwallet',
  'decoderawtransaction',
  'sendrawtransaction',
  'getrawtransaction',
  'gettxout',
  // walletpassphrase imports the notary key into the bound coin's daemon
  'importprivkey',
];

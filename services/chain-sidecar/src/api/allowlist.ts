/** Roles of the sidecar's API tokens. */
export type Role = 'viewer' | 'operator';

/** Read-only methods: chain, network, mempool and wallet state. Nothing here moves coins or keys. */
export const VIEWER_METHODS: ReadonlySet<string> = new Set([
  'getinfo',
  'getblockchaininfo',
  'getblockcount',
  'getbestblockhash',
  'getblockhash',
  'getblock',
  'getblockheader',
  'getdifficulty',
  'gettxout',
  'getrawtransaction',
  'decoderawtransaction',
  'decodescript',
  'getnetworkinfo',
  'getconnectioncount',
  'getpeerinfo',
  'getmininginfo',
  'getgenerate',
  'getwalletinfo',
  'getbalance',
  'listunspent',
  'listlockunspent',
  'listtransactions',
  'gettransaction',
  'validateaddress',
  'getaddressinfo',
  'getrawmempool',
  'getmempoolinfo',
  'calc_MoM',
  'MoMoMdata',
  'height_MoM',
  'uptime',
  'help',
]);

/** What the operator (the orchestrator) may do beyond reading: spend, split, import keys, mine, stop. */
export const OPERATOR_METHODS: ReadonlySet<string> = new Set([
  ...VIEWER_METHODS,
  'sendtoaddress',
  'sendmany',
  'lockunspent',
  'createrawtransaction',
  'signrawtransaction',
  'signrawtransactionwithwallet',
  'sendrawtransaction',
  'importprivkey',
  // Bitcoin Core 0.21 creates no wallet at start-up: the notary's is created or loaded, and an imported
  // key's past coins found again, through these.
  'createwallet',
  'loadwallet',
  'listwallets',
  'rescanblockchain',
  'getnewaddress',
  'setgenerate',
  'generate',
  'generatetoaddress',
  'setpubkey',
  'addnode',
  'keypoolrefill',
  'settxfee',
  // kmdclassicd's notary split (rpc/notaries.cpp): spends the wallet's coins into notary UTXOs.
  'nn_split',
  'stop',
]);

/** Methods that export private keys never pass the sidecar, whatever the token. */
export const NEVER_METHODS: ReadonlySet<string> = new Set([
  'dumpprivkey',
  'dumpwallet',
  'backupwallet',
  'z_exportkey',
  'z_exportviewingkey',
  'z_exportwallet',
  'signrawtransactionwithkey',
]);

export type MethodDecision = { allowed: true } | { allowed: false; reason: string };

export function decide(role: Role, method: string): MethodDecision {
  if (NEVER_METHODS.has(method))
    return { allowed: false, reason: `method '${method}' is never allowed through the sidecar` };
  const allowed = role === 'operator' ? OPERATOR_METHODS : VIEWER_METHODS;
  if (allowed.has(method)) return { allowed: true };
  if (role === 'viewer' && OPERATOR_METHODS.has(method)) {
    return { allowed: false, reason: `method '${method}' needs the operator role (this token is a viewer)` };
  }
  return { allowed: false, reason: `method '${method}' is not on the sidecar's allowlist` };
}

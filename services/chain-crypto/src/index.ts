// @nn/chain-crypto: keys, addresses, scripts and transactions of Komodo (KMD, assetchains) and
// Bitcoin/Litecoin, shared by devchain, deviguana and the sidecars.
export * from './addresses.js';
export * from './bytes.js';
export * from './hashes.js';
export * from './hex.js';
export { iguanaPassphraseKey } from './iguana-key.js';
export * from './keys.js';
export * from './script.js';
export * from './script-sig.js';
export * from './script-templates.js';
export * from './sighash-legacy.js';
export * from './sighash-zip243.js';
export * from './signing.js';
export * from './transaction.js';
export * from './tx-types.js';

// @nn/deviguana: the development stand-in for Iguana (dPoW notary mode).
export { dispatchJson, replyTag } from './api/dispatch.js';
export { opReturnData } from './api/methods.js';
export { type Deviguana, StartError, startDeviguana } from './app.js';
export { CliError, type CliOptions, IGUANA_NOTARYPORT, IGUANA_NOTARYPORT2, parseCli } from './cli.js';
export { type Coin, coinAddress, coinFromAddcoin } from './coins/coin.js';
export { confFilePathFor, extractUserpass } from './coins/conf-reader.js';
export { type DaemonCaller, type DaemonEndpoint, DaemonRpcError, HttpDaemonCaller } from './daemon/rpc.js';
export { buildNotaryTx, CRYPTO777_PUBKEY, DPOW_UTXOSIZE, notaryVout0Value } from './dpow/notary-tx.js';
export { candidateHeight, dpowSettings, roundDue } from './dpow/settings.js';
export { planSplit, splitFee } from './dpow/split-tx.js';
export { framedReply } from './http/reply.js';
export { readHttpRequest, toIguanaInput } from './http/request.js';

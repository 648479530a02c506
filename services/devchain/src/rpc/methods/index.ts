import type { NodeContext } from '../../node/context.js';
import { type MethodTable, methodTable } from '../method.js';
import { blockchainMethods } from './blockchain.js';
import { checkpointMethods } from './checkpoint.js';
import { controlMethods, helpMethod, komodoInfoMethods } from './control.js';
import { crosschainMethods } from './crosschain.js';
import { miningMethods } from './mining.js';
import { multiwalletMethods } from './multiwallet.js';
import { networkMethods } from './network.js';
import { notaryMethods } from './notaries.js';
import { rawTxMethods } from './rawtx.js';
import { walletMethods } from './wallet.js';

/**
 * The methods a flavour answers: komodod's set, or Bitcoin Core 0.21's (no getinfo there);
 * `checkpoints` adds komodod v0.9.2's getcheckpoint; `notaryRpc` kmdclassicd's nn_split.
 */
export function buildMethodTable(
  flavour: 'komodo' | 'bitcoin',
  product: string,
  checkpoints = false,
  notaryRpc = false,
): MethodTable<NodeContext> {
  let table: MethodTable<NodeContext> = new Map();
  const groups = [
    controlMethods(product),
    blockchainMethods(flavour),
    rawTxMethods(flavour),
    networkMethods(flavour),
    miningMethods(flavour),
    walletMethods(flavour),
    ...(flavour === 'komodo' ? [komodoInfoMethods, crosschainMethods] : [multiwalletMethods]),
    ...(checkpoints ? [checkpointMethods] : []),
    ...(notaryRpc ? [notaryMethods] : []),
    [helpMethod(() => table)],
  ];
  table = methodTable(...groups);
  return table;
}

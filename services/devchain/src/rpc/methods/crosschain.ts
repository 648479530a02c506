import { Hash, merkleRoot } from '@nn/chain-crypto';
import type { NodeContext } from '../../node/context.js';
import { RpcCode, RpcError } from '../errors.js';
import type { RpcMethod } from '../method.js';
import { notImplemented } from './control.js';
import { method } from './define.js';

/**
 * komodo_calcMoM: the merkle root over the merkle roots of blocks height, height-1, ...,
 * height-depth+1. komodod reads both params as strings (komodo-cli converts them).
 */
function calcMoM(ctx: NodeContext, height: number, depth: number): string {
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < depth; i++) {
    const entry = ctx.chain.atHeight(height - i);
    if (!entry) throw new RpcError(RpcCode.MISC_ERROR, 'calc_MoM illegal height or MoMdepth\n');
    leaves.push(Hash.fromDisplayHex(entry.block.header.merkleRoot));
  }
  return Hash.toDisplayHex(merkleRoot(leaves));
}

export const crosschainMethods: RpcMethod<NodeContext>[] = [
  method(
    'calc_MoM',
    'crosschain',
    [2, 2],
    'calc_MoM height MoMdepth\n\nCalculates the merkle root of merkle roots for the given height and depth.',
    (ctx, p) => {
      const height = Number.parseInt(p.str(0), 10) || 0;
      const depth = Number.parseInt(p.str(1), 10) || 0;
      if (height <= 0 || depth <= 0 || depth >= height) {
        throw new RpcError(RpcCode.MISC_ERROR, 'calc_MoM illegal height or MoMdepth\n');
      }
      return { coin: ctx.cfg.name, height, MoMdepth: depth, MoM: calcMoM(ctx, height, depth) };
    },
  ),
  notImplemented(
    'MoMoMdata',
    'crosschain',
    'it needs the notarisation history of every assetchain on KMD (cross-chain proofs are out of scope for the devnet)',
  ),
];

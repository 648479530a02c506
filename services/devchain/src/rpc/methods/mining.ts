import { addressToScript } from '@nn/chain-crypto';
import type { NodeContext } from '../../node/context.js';
import { RpcCode, RpcError } from '../errors.js';
import type { RpcMethod } from '../method.js';
import { method } from './define.js';

/** devchain mines at most this many blocks in one `generate` call, to keep the RPC thread responsive. */
const MAX_GENERATE = 1000;

function checkCount(n: number): number {
  if (n < 0 || n > MAX_GENERATE)
    throw new RpcError(RpcCode.INVALID_PARAMETER, `devchain generates 0 to ${MAX_GENERATE} blocks per call`);
  return n;
}

export function miningMethods(flavour: 'komodo' | 'bitcoin'): RpcMethod<NodeContext>[] {
  const list = [
    method(
      'getmininginfo',
      'mining',
      [0, 0],
      'getmininginfo\n\nReturns a json object containing mining-related information.',
      (ctx) => {
        if (flavour === 'bitcoin') {
          return {
            blocks: ctx.chain.height,
            difficulty: 1,
            networkhashps: 0,
            pooledtx: ctx.mempool.size,
            chain: ctx.cfg.network,
            warnings: '',
          };
        }
        return {
          blocks: ctx.chain.height,
          currentblocksize: ctx.chain.tip.size,
          currentblocktx: ctx.chain.tip.block.txs.length - 1,
          difficulty: 1,
          errors: '',
          genproclimit: ctx.miner.genproclimit,
          localsolps: 0,
          networksolps: 0,
          networkhashps: 0,
          pooledtx: ctx.mempool.size,
          testnet: ctx.cfg.network !== 'main',
          chain: ctx.cfg.network,
          staking: false,
          generate: ctx.miner.generating,
          numthreads: ctx.miner.genproclimit,
        };
      },
    ),
    method(
      'generatetoaddress',
      'generating',
      [2, 3],
      'generatetoaddress nblocks "address" ( maxtries )\n\nMine blocks immediately to a specified address.',
      (ctx, p) => {
        const n = checkCount(p.int(0));
        let script: Uint8Array;
        try {
          script = addressToScript(p.str(1), ctx.prefixes);
        } catch {
          throw new RpcError(RpcCode.INVALID_ADDRESS_OR_KEY, 'Error: Invalid address');
        }
        return ctx.miner.mineNow(n, script);
      },
    ),
  ];
  if (flavour === 'komodo') {
    list.push(
      method(
        'getgenerate',
        'generating',
        [0, 0],
        'getgenerate\n\nReturn if the server is set to mine coins or not.',
        (ctx) => ({
          staking: false,
          generate: ctx.miner.generating,
          numthreads: ctx.miner.genproclimit,
        }),
      ),
      method(
        'setgenerate',
        'generating',
        [1, 2],
        "setgenerate generate ( genproclimit )\n\nSet 'generate' true or false to turn generation on or off.",
        (ctx, p) => {
          const on = p.bool(0);
          const limit = p.int(1, ctx.miner.genproclimit);
          ctx.miner.setGenerate(on && limit !== 0, limit);
          return null;
        },
      ),
      // komodod mines on `generate` only in regtest; devchain always does, because a devnet is where
      // it runs, and says so here. (On komodod mainnet `generate 1` is the notaries' mining kill-switch.)
      method(
        'generate',
        'generating',
        [1, 1],
        'generate numblocks\n\nMine blocks immediately (devchain: on every network, as komodod does in regtest).',
        (ctx, p) => ctx.miner.mineNow(checkCount(p.int(0))),
      ),
    );
  }
  return list;
}

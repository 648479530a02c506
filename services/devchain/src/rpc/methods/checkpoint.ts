import type { NodeContext } from '../../node/context.js';
import { RpcCode, RpcError } from '../errors.js';
import type { RpcMethod } from '../method.js';
import { method } from './define.js';

/** komodod v0.9.2's `getcheckpoint` (rpc/misc.cpp): only daemons with the checkpoint era have it. */
export const checkpointMethods: RpcMethod<NodeContext>[] = [
  method('getcheckpoint', 'util', [0, Number.MAX_SAFE_INTEGER], 'returns last sync checkpoint', (ctx, p) => {
    if (p.length !== 0) throw new RpcError(RpcCode.MISC_ERROR, 'getcheckpoint does not take arguments\n');
    return ctx.checkpoints?.getcheckpoint();
  }),
];

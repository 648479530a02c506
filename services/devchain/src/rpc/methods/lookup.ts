import { isHex } from '@nn/chain-crypto';
import type { BlockEntry } from '../../chain/chainstate.js';
import type { Tx } from '../../chain/tx.js';
import type { NodeContext } from '../../node/context.js';
import { RpcCode, RpcError } from '../errors.js';

/** ParseHashV: a 64-hex-digit hash or -8 with komodod's message. */
export function parseHash(value: string, what: string): string {
  if (!isHex(value))
    throw new RpcError(RpcCode.INVALID_PARAMETER, `${what} must be hexadecimal string (not '${value}')`);
  if (value.length !== 64) {
    throw new RpcError(
      RpcCode.INVALID_PARAMETER,
      `${what} must be of length 64 (not ${value.length}, for '${value}')`,
    );
  }
  return value.toLowerCase();
}

export function confirmations(ctx: NodeContext, entry: BlockEntry): number {
  return ctx.chain.isActive(entry) ? ctx.chain.height - entry.height + 1 : -1;
}

/** A transaction from the chain (txindex) or the mempool, with its block when confirmed. */
export function findTx(ctx: NodeContext, txid: string): { t: Tx; entry?: BlockEntry } | undefined {
  const loc = ctx.chain.locateTx(txid);
  if (loc) return { t: loc.entry.block.txs[loc.index] as Tx, entry: loc.entry };
  const pooled = ctx.mempool.get(txid);
  return pooled ? { t: pooled.t } : undefined;
}

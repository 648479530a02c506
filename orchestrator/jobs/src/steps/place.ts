import type { ChainRecord, Placement } from '@nn/orchestrator-core';
import type { ChainJobContext } from '../context.js';

/**
 * place: a node with room and the chain's p2p port free (state.placement.place is one atomic script, so
 * two chains can never get the same port on a node). Idempotent: a placed chain keeps its placement.
 * Whether this job made the placement is noted: rollback gives back only what the job took.
 */
export async function placeChain(ctx: ChainJobContext, chain: ChainRecord): Promise<Placement> {
  await ctx.progress.enter('place');
  const decision = await ctx.deps.state.placement.place(chain);
  await ctx.notes.setOnce('placedByJob', decision.alreadyPlaced ? '0' : '1');
  await ctx.checkpoint('placed');
  await ctx.progress.enter(
    'place',
    `on ${decision.placement.node}: p2p ${decision.placement.p2pPort}, sidecar ${decision.placement.sidecarPort}`,
  );
  return decision.placement;
}

import type { ChainJobContext } from '../context.js';
import { LABEL_CHAIN, LABEL_INSTANCE } from '../unit/unit-spec.js';

/** The data volume's name for a unit (the runtime's default: `<unit>-data`). */
export const volumeOf = (unit: string): string => `${unit}-data`;

/**
 * volumes: the unit's data volume, owned and labelled. Before making it, notes whether it was already
 * there (data kept from an earlier removal, or a running chain's): a rollback never deletes that.
 */
export async function ensureVolumes(ctx: ChainJobContext, node: string): Promise<string> {
  await ctx.progress.enter('volumes');
  const volume = volumeOf(ctx.unit);
  const owned = await ctx.deps.runtime.listOwned();
  const existed = owned.some((r) => r.kind === 'volume' && r.name === volume && r.unit === ctx.unit);
  await ctx.notes.setOnce('volumeExisted', existed ? '1' : '0');
  await ctx.deps.runtime.ensureVolume(node, volume, ctx.unit, {
    [LABEL_CHAIN]: ctx.chainId,
    [LABEL_INSTANCE]: ctx.deps.config.instance,
  });
  await ctx.checkpoint('volume');
  return volume;
}
